import type { Middleware } from 'koa';
import type { Logger } from '../../logging/create-logger';
import type { GatewayState } from '../gateway-state';
import { sendReply, type HttpReply } from '../http-reply';
import { LocalErrors } from '../local-errors';

/** The error's type and where it was thrown; not its message, which may quote the request it failed on. */
function describe(error: unknown): { name: string; frames?: string[] } {
  if (!(error instanceof Error)) return { name: typeof error };
  return { name: error.name, frames: (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 10) };
}

function unansweredReply(status: number, allow: string): HttpReply | undefined {
  if (status === 404) return LocalErrors.notFound;
  if (status === 405) return LocalErrors.methodNotAllowed(allow);
  if (status === 501) return LocalErrors.methodNotImplemented;
  return undefined;
}

/**
 * Turns what nothing else answered into JSON: an unexpected exception (500, logged by type and stack frames only),
 * an unknown path (404) and a method the path does not serve (405/501, keeping the router's Allow header).
 */
export function errorBoundary(logger: Logger): Middleware<GatewayState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.state.outcome = 'refused';
      logger.error({ requestId: ctx.state.requestId, err: describe(error) }, 'request failed unexpectedly');
      ctx.state.refusal = 'server_error';
      sendReply(ctx, LocalErrors.internal);
      return;
    }
    if (ctx.body !== undefined && ctx.body !== null) return;
    const reply = unansweredReply(ctx.status, ctx.response.get('Allow'));
    if (reply === undefined) return;
    ctx.state.outcome = 'refused';
    ctx.state.refusal = reply.error;
    sendReply(ctx, reply);
  };
}
