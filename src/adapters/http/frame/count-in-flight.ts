import type { DrainState } from '../drain-state';
import type { FrameContext } from './request-frame';

/** First on arrival: the request is counted until its line is written, so the exit can wait for it (DrainState). */
export function countArrival(drain: DrainState): (ctx: FrameContext) => void {
  return () => drain.arrived();
}

/** Last once answered, after the request's line. */
export function countAnswered(drain: DrainState): (ctx: FrameContext, started: number) => void {
  return () => drain.answered();
}
