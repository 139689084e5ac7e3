import type { Middleware } from 'koa';
import type { Logger } from '../../logging/create-logger';
import type { GatewayMetrics } from '../../observability/gateway-metrics';
import type { GatewayState } from '../gateway-state';

const MAX_PATH = 200;

/**
 * One log line and one metric per request once it is answered: who (request ID), what (operation, client ID),
 * how it ended (status, outcome, the authority's failure cause) and how long it took. Only the path of the URL
 * is logged, and no header or body: they carry credentials. Probes are logged at debug level and not counted.
 */
export function observeRequests(logger: Logger, metrics: GatewayMetrics): Middleware<GatewayState> {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const { requestId, operation, outcome, failure, clientId, refusal, probe } = ctx.state;
      if (probe !== true) {
        metrics.requests.observe({ operation: operation ?? 'none', outcome: outcome ?? 'refused', status: ctx.status }, seconds);
      }
      const line = {
        requestId,
        method: ctx.method,
        path: ctx.path.length > MAX_PATH ? `${ctx.path.slice(0, MAX_PATH)}…` : ctx.path,
        status: ctx.status,
        durationMs: Math.round(seconds * 100_000) / 100,
        ...(operation && { operation }),
        ...(clientId && { clientId }),
        ...(outcome && { outcome }),
        ...(refusal && { refusal }),
        ...(failure && { failure }),
      };
      if (failure !== undefined) {
        // Authlete refusing the call itself (401/403) means the gateway's credentials or service ID are wrong.
        const misconfigured = failure.cause === 'http_error' && (failure.status === 401 || failure.status === 403);
        logger[misconfigured ? 'error' : 'warn'](line, `registration authority failed: ${failure.cause}`);
      } else if (ctx.status >= 500) logger.error(line, 'request answered with a server error');
      else if (probe === true) logger.debug(line, 'probe answered');
      else logger.info(line, 'request answered');
    }
  };
}
