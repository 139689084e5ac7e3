import type { ParameterizedContext } from 'koa';
import type { Secret } from '../../domain/secret';
import { readBearer } from './bearer-credentials';
import { accepted, refused, type Checked } from './checked';
import { LocalErrors } from './local-errors';

type Ctx = ParameterizedContext<unknown>;

/** Every Authorization header as sent; Node's parsed headers keep only the first of several. */
function authorizationHeaders(rawHeaders: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (name.length === 13 && name.toLowerCase() === 'authorization') found.push(rawHeaders[i + 1] ?? '');
  }
  return found;
}

function tokenInQuery(ctx: Ctx): boolean {
  return ctx.querystring !== '' && new URLSearchParams(ctx.querystring).has('access_token');
}

/** The initial access token a registration (RFC 7591 section 3) may carry, or undefined when it carries none. */
export function optionalToken(ctx: Ctx): Checked<Secret | undefined> {
  // RFC 6750 allows a token in the URL, but URLs end up in logs and caches; only the header is accepted.
  if (tokenInQuery(ctx)) return refused(LocalErrors.tokenInQuery);
  const credentials = readBearer(authorizationHeaders(ctx.req.rawHeaders));
  switch (credentials.kind) {
    case 'token':
      return accepted(credentials.token);
    case 'absent':
      return accepted(undefined);
    case 'other_scheme':
      return refused(LocalErrors.schemeNotBearer);
    case 'malformed':
      return refused(LocalErrors.tokenMalformed(credentials.reason));
  }
}

/** The registration access token a management request (RFC 7592 section 2) must carry. */
export function requireToken(ctx: Ctx): Checked<Secret> {
  const token = optionalToken(ctx);
  if (!token.ok) return token;
  return token.value === undefined ? refused(LocalErrors.tokenMissing) : accepted(token.value);
}
