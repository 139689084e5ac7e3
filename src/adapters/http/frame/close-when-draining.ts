import type { DrainState } from '../drain-state';
import type { FrameContext } from './request-frame';

/** Once shutdown has begun, each answer closes its connection, so clients move to another replica. */
export function closeWhenDraining(drain: DrainState): (ctx: FrameContext) => void {
  return (ctx) => {
    if (drain.draining) ctx.res.setHeader('Connection', 'close');
  };
}
