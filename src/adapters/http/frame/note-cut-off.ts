import { clientGone } from '../client-closed';
import type { DrainState } from '../drain-state';
import type { FrameContext } from './request-frame';

/**
 * A request whose connection the gateway closed at the end of the shutdown grace period: its line says so. It
 * used to read as Authlete failing (502, connection_lost), since its call to Authlete was abandoned with it.
 */
export function noteCutOff(drain: DrainState): (ctx: FrameContext) => void {
  return (ctx) => {
    if (drain.cutOff && clientGone(ctx)) ctx.state.cutOff = true;
  };
}
