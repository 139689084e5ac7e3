import { isIP } from 'node:net';
import type { ParameterizedContext } from 'koa';

/**
 * The client's address: Koa's `ctx.ip` (the TCP peer, or with TRUST_PROXY_HOPS the entry of X-Forwarded-For that
 * many hops back). A forwarded entry that is not an IP address (a proxy that passes the client's header on
 * unchecked) is not believed: limits and logs then key on the peer, which the client cannot choose.
 */
export function clientIp(ctx: ParameterizedContext<unknown>): string {
  const ip = ctx.ip;
  if (!ctx.app.proxy || isIP(ip) !== 0) return ip;
  return ctx.req.socket.remoteAddress ?? '';
}
