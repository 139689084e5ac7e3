import type { Middleware } from 'koa';
import type { Logger } from '../../logging/create-logger';
import type { GatewayState } from '../gateway-state';
import { sendReply } from '../http-reply';
import { LocalErrors } from '../local-errors';

/**
 * Turns what nothing else answered into JSON: an unexpected exception (500, logged by name and stack only),
 * an unknown path (404) and a method the path does not serve (405/501, keeping the router's Allow header).
 */
export function errorBoundary(logger: Logger): Middleware<GatewayState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.state.outcome = 'refused';
      ctx.state.refusal = 'server_error';
      logger.error(
        { requestId: ctx.state.requestId, err: { name: error instanceof Error ? error.name : typeof error, stack: error instanceof Error ? error.stack : undefined } },
        'request failed unexpectedly',
      );
      sendReply(ctx, LocalErrors.internal);
      return;
    }
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.status === 404) sendReply(ctx, LocalErrors.notFound);
    else if (ctx.status === 405) sendReply(ctx, LocalErrors.methodNotAllowed(ctx.response.get('Allow')));
    else if (ctx.status === 501) sendReply(ctx, LocalErrors.methodNotImplemented);
  };
}
