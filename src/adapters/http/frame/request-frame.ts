import type { Middleware, ParameterizedContext } from 'koa';
import type { GatewayState } from '../gateway-state';
import { sendRefusal, type HttpReply } from '../http-reply';

export type FrameContext = ParameterizedContext<GatewayState>;

/** What every request goes through around its route, in order. */
export interface FrameSteps {
  /** Before the route runs. */
  readonly onArrival: ReadonlyArray<(ctx: FrameContext) => void>;
  /** Then, checks any request must pass; the first reply answers it and the route never runs. */
  readonly admit: ReadonlyArray<(ctx: FrameContext) => HttpReply | undefined>;
  /** When the route (or the router) has answered, or `onError` has. */
  readonly onAnswer: ReadonlyArray<(ctx: FrameContext, started: number) => void>;
  /** When the route threw. */
  readonly onError: (ctx: FrameContext, error: unknown) => void;
}

/**
 * Every request's frame as one middleware running named steps, rather than a stack of middlewares: each Koa layer
 * is an async frame on the hot path.
 */
export function requestFrame({ onArrival, admit, onAnswer, onError }: FrameSteps): Middleware<GatewayState> {
  return async (ctx, next) => {
    const started = performance.now();
    for (const step of onArrival) step(ctx);
    let refusal: HttpReply | undefined;
    for (const check of admit) if ((refusal = check(ctx)) !== undefined) break;
    try {
      if (refusal === undefined) await next();
      else sendRefusal(ctx, refusal);
    } catch (error) {
      onError(ctx, error);
    }
    for (const step of onAnswer) step(ctx, started);
  };
}
