import type { Middleware } from 'koa';
import type { DrainState } from '../drain-state';
import type { GatewayState } from '../gateway-state';

/** Once shutdown has begun, every answer closes its connection, so keep-alive clients reconnect elsewhere. */
export function drainConnections(drain: DrainState): Middleware<GatewayState> {
  return async (ctx, next) => {
    await next();
    if (drain.draining) ctx.set('Connection', 'close');
  };
}
