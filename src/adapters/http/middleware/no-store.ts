import type { Middleware } from 'koa';
import type { GatewayState } from '../gateway-state';

/** Registration answers carry credentials: no cache on the way may keep any of them (RFC 7591 section 3.2). */
export function noStore(): Middleware<GatewayState> {
  return async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    await next();
  };
}
