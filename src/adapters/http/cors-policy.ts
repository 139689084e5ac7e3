import cors from '@koa/cors';
import type { Middleware } from 'koa';
import type { CorsSettings } from '../../config/exposure-settings';
import type { GatewayState } from './gateway-state';

/** What a browser may send and read: the credentials and body of RFC 7591/7592, and the gateway's own signals. */
const ALLOWED_REQUEST_HEADERS = ['Authorization', 'Content-Type'];
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'WWW-Authenticate'];
// What each path answers, as the router does: the registration endpoint registers, the client's manages.
const REGISTRATION_METHODS = ['POST'];
const CLIENT_METHODS = ['GET', 'PUT', 'DELETE'];

/**
 * CORS_ALLOWED_ORIGINS with @koa/cors, or undefined when it is unset (no CORS headers, no middleware). A
 * preflight from an allowed origin is answered here, before any endpoint step: it never reaches Authlete and is
 * not rate limited. Another origin gets no CORS headers at all, so the browser keeps the answer from its page.
 * Credentials are Bearer tokens in a header, never cookies, so no Access-Control-Allow-Credentials. Only the
 * registration path and a client's path beneath it take part, each naming its own methods: a preflight anywhere
 * else (`/metrics`, `/nope`) was answered 204 with CORS headers, for paths no browser client may call.
 */
export function corsPolicy(settings: CorsSettings, registrationPath: string): Middleware<GatewayState> | undefined {
  if (settings === undefined) return undefined;
  const { allowedOrigins } = settings;
  const allowed = allowedOrigins === '*' ? undefined : new Set(allowedOrigins);
  const policy = (allowMethods: string[]): Middleware<GatewayState> =>
    cors({
      origin: (ctx) => {
        if (allowed === undefined) return '*';
        const origin = ctx.get('Origin');
        return allowed.has(origin) ? origin : '';
      },
      allowMethods,
      allowHeaders: ALLOWED_REQUEST_HEADERS,
      exposeHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  const forRegistration = policy(REGISTRATION_METHODS);
  const forClient = policy(CLIENT_METHODS);
  const clientPrefix = `${registrationPath}/`;
  return (ctx, next) => {
    // The router takes one trailing slash as the same path; so does this.
    const path = ctx.path.length > 1 && ctx.path.endsWith('/') ? ctx.path.slice(0, -1) : ctx.path;
    if (path === registrationPath) return forRegistration(ctx, next);
    if (path.length > clientPrefix.length && path.startsWith(clientPrefix) && !path.includes('/', clientPrefix.length)) return forClient(ctx, next);
    return next();
  };
}
