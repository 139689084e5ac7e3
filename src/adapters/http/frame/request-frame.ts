import type { Middleware, ParameterizedContext } from 'koa';
import type { GatewayState } from '../gateway-state';

export type FrameContext = ParameterizedContext<GatewayState>;

/** What every request goes through around its route, in order. */
export interface FrameSteps {
  /** Before the route runs. */
  readonly onArrival: ReadonlyArray<(ctx: FrameContext) => void>;
  /** When the route (or the router) has answered, or `onError` has. */
  readonly onAnswer: ReadonlyArray<(ctx: FrameContext, started: number) => void>;
  /** When the route threw. */
  readonly onError: (ctx: FrameContext, error: unknown) => void;
}

/**
 * Every request's frame as one middleware running named steps, rather than a stack of middlewares: each Koa layer
 * is an async frame on the hot path.
 */
export function requestFrame({ onArrival, onAnswer, onError }: FrameSteps): Middleware<GatewayState> {
  return async (ctx, next) => {
    const started = performance.now();
    for (const step of onArrival) step(ctx);
    try {
      await next();
    } catch (error) {
      onError(ctx, error);
    }
    for (const step of onAnswer) step(ctx, started);
  };
}
