import type { Logger } from '../../logging/create-logger';
import { sendRefusal } from '../http-reply';
import { REPLIES } from '../replies';
import type { FrameContext } from './request-frame';

/** The error's type and where it was thrown; not its message, which may quote the request it failed on. */
function describe(error: unknown): { name: string; frames?: string[] } {
  if (!(error instanceof Error)) return { name: typeof error };
  return { name: error.name, frames: (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 10) };
}

/** An exception nothing else caught: a JSON 500, logged by type and stack frames only. */
export function answerUnexpected(logger: Logger): (ctx: FrameContext, error: unknown) => void {
  return (ctx, error) => {
    logger.error({ requestId: ctx.state.requestId, err: describe(error) }, 'request failed unexpectedly');
    sendRefusal(ctx, REPLIES.internal);
  };
}
