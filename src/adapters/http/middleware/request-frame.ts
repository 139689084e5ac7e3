import type { Middleware } from 'koa';
import type { Logger } from '../../logging/create-logger';
import type { GatewayMetrics } from '../../observability/gateway-metrics';
import type { DrainState } from '../drain-state';
import type { GatewayState } from '../gateway-state';
import { answerUnanswered, answerUnexpected } from './error-boundary';
import { requestRecorder } from './observe-requests';
import { requestIdFor } from './request-id';

export interface FrameDependencies {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly drain: DrainState;
}

/**
 * Everything every request gets, in one middleware rather than a stack of them (each layer is an async frame
 * on the hot path): a request ID, echoed; no-store headers, since registration answers carry credentials
 * (RFC 7591 section 3.2); JSON for whatever nothing else answered; `Connection: close` once shutdown has
 * begun; and the log line and metrics once the answer is known.
 */
export function requestFrame({ logger, metrics, drain }: FrameDependencies): Middleware<GatewayState> {
  const record = requestRecorder(logger, metrics);
  return async (ctx, next) => {
    const started = performance.now();
    const requestId = requestIdFor(ctx.req.headers['x-request-id']);
    ctx.state.requestId = requestId;
    const res = ctx.res;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    try {
      await next();
      answerUnanswered(ctx);
    } catch (error) {
      answerUnexpected(ctx, logger, error);
    }
    if (drain.draining) res.setHeader('Connection', 'close');
    record(ctx, started);
  };
}
