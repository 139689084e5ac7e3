import type { Middleware } from 'koa';
import type { Logger } from '../../logging/create-logger';
import type { GatewayState } from '../gateway-state';

const MAX_PATH = 200;

/**
 * One line per request once it is answered: who (request ID), what (operation, client ID), how it ended
 * (status, outcome, and the authority's failure cause when there was one) and how long it took. The raw URL
 * is not logged beyond its path, and neither are headers or bodies: they carry credentials.
 */
export function accessLog(logger: Logger): Middleware<GatewayState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const { requestId, operation, outcome, failure, clientId } = ctx.state;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        requestId,
        method: ctx.method,
        path: ctx.path.length > MAX_PATH ? `${ctx.path.slice(0, MAX_PATH)}…` : ctx.path,
        status: ctx.status,
        durationMs: Math.round(durationMs * 100) / 100,
        ...(operation && { operation }),
        ...(clientId && { clientId }),
        ...(outcome && { outcome }),
        ...(failure && { failure }),
      };
      if (failure !== undefined) logger.warn(line, `registration authority failed: ${failure.cause}`);
      else if (ctx.status >= 500) logger.error(line, 'request answered with a server error');
      else logger.info(line, 'request answered');
    }
  };
}
