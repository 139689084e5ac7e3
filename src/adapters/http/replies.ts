import type { LimitName } from '../../domain/limits';
import { jsonError, type HttpReply } from './http-reply';
import { rateLimitHeaders, type LimitRefusal } from './rate-limit-headers';
import { challengeOr } from './www-authenticate';

/** A reply whose description or headers depend on the request; its status and error code do not. */
export type DetailedReply<P extends readonly unknown[]> = ((...detail: P) => HttpReply) & {
  readonly status: number;
  readonly error?: string;
};

/** One row of the table: a reply, or a reply that takes the request's details. */
export type ReplyRow = HttpReply | DetailedReply<never[]>;

function detailed<P extends readonly unknown[]>(
  status: number,
  error: string,
  describe: (...detail: P) => string,
  headers?: (...detail: P) => Record<string, string>,
): DetailedReply<P> {
  return Object.assign((...detail: P) => jsonError(status, error, describe(...detail), headers?.(...detail)), { status, error });
}

/** A refusal after Authlete's introspection: Authlete's own challenge when it is usable, else the fallback. */
function tokenCheckRefusal(status: number, error: string, description: string, fallbackChallenge: string): DetailedReply<[challenge?: string]> {
  return detailed(
    status,
    error,
    () => description,
    (challenge?: string) => ({ 'WWW-Authenticate': challengeOr(challenge, fallbackChallenge) }),
  );
}

const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer' };

const LIMIT_PURPOSE: Readonly<Record<LimitName, string>> = {
  registrations_per_ip: 'registrations from this address',
  registrations_total: 'registrations on this server',
  auth_failures_per_ip: 'failed authentications from this address',
};

/**
 * Every reply the gateway gives on its own, without relaying the registration authority's decision: local
 * refusals, the answers for an unusable authority, probes, draining, and what it writes for HTTP it cannot parse.
 * The README's error table is checked against this table, row by row.
 */
export const REPLIES = {
  // Credentials (RFC 6750 section 3).
  tokenMissing: jsonError(401, 'invalid_token', 'This endpoint needs the registration access token as "Authorization: Bearer <token>".', BEARER_CHALLENGE),
  schemeNotBearer: jsonError(401, 'invalid_token', 'Only Bearer credentials are accepted here.', BEARER_CHALLENGE),
  tokenMalformed: detailed(
    400,
    'invalid_request',
    (reason: string) => `The Authorization header is malformed: ${reason}.`,
    () => ({ 'WWW-Authenticate': 'Bearer error="invalid_request"' }),
  ),
  tokenInQuery: jsonError(400, 'invalid_request', 'Tokens are not accepted in the URL; send them as "Authorization: Bearer <token>".'),

  // The registration policy (REGISTRATION_ACCESS=token); the challenge is Authlete's, when it is a sane header value.
  initialAccessTokenMissing: jsonError(
    401,
    'invalid_token',
    'Registration here needs an initial access token as "Authorization: Bearer <token>".',
    BEARER_CHALLENGE,
  ),
  initialAccessTokenRejected: tokenCheckRefusal(401, 'invalid_token', 'The initial access token is not valid: unknown, expired or revoked.', 'Bearer error="invalid_token"'),
  initialAccessTokenInsufficient: tokenCheckRefusal(
    403,
    'insufficient_scope',
    'The initial access token does not cover the scope registration needs.',
    'Bearer error="insufficient_scope"',
  ),
  initialAccessTokenUnreadable: tokenCheckRefusal(400, 'invalid_request', 'The initial access token could not be checked as sent.', 'Bearer error="invalid_request"'),
  initialAccessTokenUncheckable: tokenCheckRefusal(500, 'server_error', 'The initial access token could not be checked. Try again later.', 'Bearer'),

  // Abuse limits (IETF httpapi RateLimit header fields); such a request never reaches Authlete.
  rateLimited: detailed(
    429,
    'rate_limited',
    (refusal?: LimitRefusal) =>
      `Too many requests (${refusal === undefined ? 'over a limit' : LIMIT_PURPOSE[refusal.limit]}); try again after the number of seconds in Retry-After.`,
    (refusal?: LimitRefusal) => (refusal === undefined ? {} : rateLimitHeaders(refusal)),
  ),

  // The request's framing (RFC 9112 section 3.2, RFC 9110 section 10.1.1).
  hostMissing: jsonError(400, 'invalid_request', 'An HTTP/1.1 request must carry a Host header.'),
  hostRepeated: jsonError(400, 'invalid_request', 'The request carries more than one Host header.'),
  contentTypeRepeated: jsonError(400, 'invalid_request', 'The request carries more than one Content-Type header.'),
  expectationUnknown: jsonError(417, 'invalid_request', 'The only expectation this server meets is "Expect: 100-continue".'),
  // RFC 9112 section 6.1: a transfer coding the server does not understand is answered 501.
  transferCodingUnsupported: jsonError(501, 'invalid_request', 'The only transfer coding this server reads is chunked; send gzip as Content-Encoding.'),

  // The path.
  clientIdImplausible: jsonError(
    400,
    'invalid_request',
    'The client ID in the path cannot belong to any client: at most 255 of the characters A-Z a-z 0-9 - . _ ~.',
  ),
  notFound: jsonError(404, 'not_found', 'There is nothing at this path.'),
  methodNotAllowed: detailed(
    405,
    'method_not_allowed',
    (allow: string) => `This path answers ${allow} only.`,
    (allow: string) => ({ Allow: allow }),
  ),
  methodNotImplemented: jsonError(501, 'method_not_allowed', 'This server does not implement that method.'),
  // RFC 9110 section 9.3.7: OPTIONS on a served path says which methods it answers, with no content.
  optionsAnswered: Object.assign((allow: string): HttpReply => ({ status: 204, headers: { Allow: allow } }), { status: 204 }),

  // The body.
  bodyMissing: jsonError(400, 'invalid_client_metadata', 'The body must be a JSON object of client metadata.'),
  bodyNotJson: jsonError(400, 'invalid_client_metadata', 'The body is not well-formed JSON.'),
  bodyNotObject: jsonError(400, 'invalid_client_metadata', 'The body must be a JSON object, not an array or a single value.'),
  bodyNotUtf8: jsonError(400, 'invalid_client_metadata', 'The body is not valid UTF-8.'),
  bodyUnreadable: jsonError(400, 'invalid_request', 'The request body could not be read.'),
  bodyCorrupt: jsonError(400, 'invalid_request', 'The body is not valid for its Content-Encoding.'),
  bodyTooLarge: detailed(
    413,
    'invalid_request',
    (limitBytes: number) => `The body is larger than the ${limitBytes} bytes this server accepts, on the wire or decompressed.`,
  ),
  // RFC 9110 section 15.5.9; the place it held among the calls to the authority is free at once.
  bodyTimedOut: detailed(408, 'invalid_request', (timeoutMs: number) => `The body did not arrive within ${timeoutMs} ms.`),
  mediaTypeNotJson: jsonError(415, 'invalid_request', 'The body must be sent as Content-Type: application/json.'),
  charsetNotUtf8: jsonError(415, 'invalid_request', 'JSON must be encoded as UTF-8.'),
  encodingUnsupported: jsonError(415, 'invalid_request', 'The Content-Encoding of the body is not supported.'),

  // The registration authority gave no usable answer: the client learns only that it may retry.
  authorityTimedOut: jsonError(504, 'server_error', 'The registration authority did not answer in time. Try again later.'),
  authorityUnusable: jsonError(502, 'server_error', 'The registration authority could not be asked. Try again later.'),
  // Overloaded (every place taken), rate limited by Authlete, or left alone by the open circuit breaker.
  authorityBusy: detailed(
    503,
    'temporarily_unavailable',
    (retryAfterSeconds: number) => `The registration authority is busy. Try again in ${retryAfterSeconds} s.`,
    (retryAfterSeconds: number) => ({ 'Retry-After': String(retryAfterSeconds) }),
  ),

  // The gateway itself.
  internal: jsonError(500, 'server_error', 'The server failed to handle the request. Try again later.'),
  live: { status: 200, json: JSON.stringify({ status: 'live' }) },
  ready: { status: 200, json: JSON.stringify({ status: 'ready' }) },
  draining: {
    status: 503,
    error: 'temporarily_unavailable',
    json: JSON.stringify({ status: 'draining', error: 'temporarily_unavailable', error_description: 'The service is shutting down.' }),
  },

  // HTTP that Node's parser gives up on; written straight to the socket.
  headersTooLarge: jsonError(431, 'invalid_request', 'The request line and headers are larger than this server accepts.'),
  requestTimedOut: jsonError(408, 'invalid_request', 'The request did not arrive in time.'),
  malformedHttp: jsonError(400, 'invalid_request', 'The request is not well-formed HTTP.'),
} as const satisfies Record<string, ReplyRow>;
