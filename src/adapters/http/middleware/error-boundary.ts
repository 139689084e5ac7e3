import type { ParameterizedContext } from 'koa';
import type { Logger } from '../../logging/create-logger';
import type { GatewayState } from '../gateway-state';
import { refuse } from '../http-reply';
import { LocalErrors } from '../local-errors';

type Ctx = ParameterizedContext<GatewayState>;

/** The error's type and where it was thrown; not its message, which may quote the request it failed on. */
function describe(error: unknown): { name: string; frames?: string[] } {
  if (!(error instanceof Error)) return { name: typeof error };
  return { name: error.name, frames: (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 10) };
}

/** An exception nothing else caught: a JSON 500, logged by type and stack frames only. */
export function answerUnexpected(ctx: Ctx, logger: Logger, error: unknown): void {
  logger.error({ requestId: ctx.state.requestId, err: describe(error) }, 'request failed unexpectedly');
  refuse(ctx, LocalErrors.internal);
}

/**
 * What the router left without a body gets the gateway's JSON shape: an unknown path (404) and a method the
 * path does not serve (405/501, keeping the router's Allow header).
 */
export function answerUnanswered(ctx: Ctx): void {
  if (ctx.body !== undefined && ctx.body !== null) return;
  if (ctx.status === 404) refuse(ctx, LocalErrors.notFound);
  else if (ctx.status === 405) refuse(ctx, LocalErrors.methodNotAllowed(ctx.response.get('Allow')));
  else if (ctx.status === 501) refuse(ctx, LocalErrors.methodNotImplemented);
}
