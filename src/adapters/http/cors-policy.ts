import cors from '@koa/cors';
import type { Middleware } from 'koa';
import type { CorsSettings } from '../../config/exposure-settings';
import type { GatewayState } from './gateway-state';

/** What a browser may send and read: the credentials and body of RFC 7591/7592, and the gateway's own signals. */
const ALLOWED_REQUEST_HEADERS = ['Authorization', 'Content-Type'];
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'WWW-Authenticate'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

/**
 * CORS_ALLOWED_ORIGINS with @koa/cors, or undefined when it is unset (no CORS headers, no middleware). A
 * preflight from an allowed origin is answered here, before any endpoint step: it never reaches Authlete and is
 * not rate limited. Another origin gets no CORS headers at all, so the browser keeps the answer from its page.
 * Credentials are Bearer tokens in a header, never cookies, so no Access-Control-Allow-Credentials.
 */
export function corsPolicy(settings: CorsSettings): Middleware<GatewayState> | undefined {
  if (settings === undefined) return undefined;
  const { allowedOrigins } = settings;
  const allowed = allowedOrigins === '*' ? undefined : new Set(allowedOrigins);
  return cors({
    origin: (ctx) => {
      if (allowed === undefined) return '*';
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowMethods: METHODS,
    allowHeaders: ALLOWED_REQUEST_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
