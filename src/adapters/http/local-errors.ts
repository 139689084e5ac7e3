import { jsonError, type HttpReply } from './http-reply';

const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer' };

/**
 * Every answer the gateway gives without asking the registration authority. The README's error table lists
 * these; keep the two in step.
 */
export const LocalErrors = {
  tokenMissing: jsonError(
    401,
    'invalid_token',
    'This endpoint needs the registration access token as "Authorization: Bearer <token>".',
    BEARER_CHALLENGE,
  ),
  schemeNotBearer: jsonError(401, 'invalid_token', 'Only Bearer credentials are accepted here.', BEARER_CHALLENGE),
  tokenMalformed: (reason: string): HttpReply =>
    jsonError(400, 'invalid_request', `The Authorization header is malformed: ${reason}.`, {
      'WWW-Authenticate': 'Bearer error="invalid_request"',
    }),
  tokenInQuery: jsonError(
    400,
    'invalid_request',
    'Tokens are not accepted in the URL; send them as "Authorization: Bearer <token>".',
  ),
  clientIdImplausible: jsonError(
    400,
    'invalid_request',
    'The client ID in the path cannot belong to any client: at most 255 of the characters A-Z a-z 0-9 - . _ ~.',
  ),
  bodyMissing: jsonError(400, 'invalid_client_metadata', 'The body must be a JSON object of client metadata.'),
  bodyNotJson: jsonError(400, 'invalid_client_metadata', 'The body is not well-formed JSON.'),
  bodyNotObject: jsonError(400, 'invalid_client_metadata', 'The body must be a JSON object, not an array or a single value.'),
  bodyUnreadable: jsonError(400, 'invalid_request', 'The request body could not be read.'),
  bodyTooLarge: (limitBytes: number): HttpReply =>
    jsonError(413, 'invalid_request', `The body is larger than the ${limitBytes} bytes this server accepts.`),
  mediaTypeNotJson: jsonError(415, 'invalid_request', 'The body must be sent as Content-Type: application/json.'),
  charsetNotUtf8: jsonError(415, 'invalid_request', 'JSON must be encoded as UTF-8.'),
  encodingUnsupported: jsonError(415, 'invalid_request', 'The Content-Encoding of the body is not supported.'),
  notFound: jsonError(404, 'not_found', 'There is nothing at this path.'),
  methodNotAllowed: (allow: string): HttpReply =>
    jsonError(405, 'method_not_allowed', `This path answers ${allow} only.`, { Allow: allow }),
  methodNotImplemented: jsonError(501, 'method_not_allowed', 'This server does not implement that method.'),
  internal: jsonError(500, 'server_error', 'The server failed to handle the request. Try again later.'),
} as const;
