import type { Secret } from '../../../domain/secret';
import { readBearer } from '../bearer-credentials';
import { type RequestContext, proceed, stop, type StepResult } from '../pipeline';
import { REPLIES } from '../replies';

/** Every Authorization header as sent; Node's parsed headers keep only the first of several. */
function authorizationHeaders(rawHeaders: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (name.length === 13 && name.toLowerCase() === 'authorization') found.push(rawHeaders[i + 1] ?? '');
  }
  return found;
}

function tokenInQuery(ctx: RequestContext): boolean {
  return ctx.querystring !== '' && new URLSearchParams(ctx.querystring).has('access_token');
}

/** The request's Bearer token, undefined when it carries none, or the refusal of credentials that cannot be used. */
function bearerToken(ctx: RequestContext): StepResult<{ token: Secret | undefined }> {
  // RFC 6750 allows a token in the URL, but URLs end up in logs and caches; only the header is accepted.
  if (tokenInQuery(ctx)) return stop(REPLIES.tokenInQuery);
  const credentials = readBearer(authorizationHeaders(ctx.req.rawHeaders));
  switch (credentials.kind) {
    case 'token':
      return proceed({ token: credentials.token });
    case 'absent':
      return proceed({ token: undefined });
    case 'other_scheme':
      return stop(REPLIES.schemeNotBearer);
    case 'malformed':
      return stop(REPLIES.tokenMalformed(credentials.reason));
  }
}

/** The initial access token a registration (RFC 7591 section 3) may carry. */
export function initialAccessToken(ctx: RequestContext): StepResult<{ initialAccessToken?: Secret }> {
  const read = bearerToken(ctx);
  if (!read.ok) return read;
  return read.adds.token === undefined ? proceed({}) : proceed({ initialAccessToken: read.adds.token });
}

/** The registration access token a management request (RFC 7592 section 2) must carry. */
export function registrationAccessToken(ctx: RequestContext): StepResult<{ registrationAccessToken: Secret }> {
  const read = bearerToken(ctx);
  if (!read.ok) return read;
  return read.adds.token === undefined ? stop(REPLIES.tokenMissing) : proceed({ registrationAccessToken: read.adds.token });
}
