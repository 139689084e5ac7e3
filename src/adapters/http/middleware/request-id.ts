import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { GatewayState } from '../gateway-state';

// A caller's ID is reused only when it is short and plain, so it can sit in a log line and a header unescaped.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Tags each request with the caller's X-Request-Id, or a new one, and echoes it in the response. */
export function requestId(): Middleware<GatewayState> {
  return async (ctx, next) => {
    const offered = ctx.get('X-Request-Id');
    ctx.state.requestId = ACCEPTABLE.test(offered) ? offered : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
