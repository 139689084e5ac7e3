import { Secret } from '../../domain/secret';

export type BearerCredentials =
  | { readonly kind: 'token'; readonly token: Secret }
  /** No Authorization header, an empty one, or `Bearer` with nothing after it. */
  | { readonly kind: 'absent' }
  /** Credentials of another scheme (Basic, DPoP, ...): nothing this endpoint can use. */
  | { readonly kind: 'other_scheme' }
  /** A Bearer credential that breaks RFC 6750's syntax, or more than one of them. */
  | { readonly kind: 'malformed'; readonly reason: string };

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Reads the Bearer token out of every Authorization header the request carried. */
export function readBearer(headerValues: readonly string[] | undefined): BearerCredentials {
  if (headerValues === undefined || headerValues.length === 0) return { kind: 'absent' };
  if (headerValues.length > 1) return { kind: 'malformed', reason: 'more than one Authorization header' };
  const value = (headerValues[0] ?? '').trim();
  // An empty header is what a client template with an unset token sends (`Authorization: ${TOKEN}`): no credentials.
  if (value === '') return { kind: 'absent' };
  const gap = value.search(/\s/);
  const scheme = gap === -1 ? value : value.slice(0, gap);
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'other_scheme' };
  const token = gap === -1 ? '' : value.slice(gap).trim();
  if (token === '') return { kind: 'absent' };
  if (!B64TOKEN.test(token)) return { kind: 'malformed', reason: 'the Bearer token is not a single RFC 6750 b64token' };
  return { kind: 'token', token: new Secret(token) };
}
