import { PROBLEM, refusal, type Refusal } from './refusal';

// One message for an unknown client and for a wrong token, so the answer tells nobody which client IDs exist.
const MESSAGE = 'The registration access token is not valid for this client.';

export type TokenRefusal =
  | { readonly action: 'UNAUTHORIZED'; readonly refusal: Refusal }
  | { readonly action: 'BAD_REQUEST'; readonly refusal: Refusal };

/**
 * How a management call with an unknown client or a wrong registration access token is refused. With Authlete's
 * `unauthorizedOnClientConfigSupported` off, the answer is BAD_REQUEST, and its OAuth error is then
 * `invalid_request`: RFC 6750 section 3.1 pairs that code with 400, `invalid_token` with 401.
 */
export function tokenRefusal(unauthorizedOnClientConfigSupported: boolean): TokenRefusal {
  return unauthorizedOnClientConfigSupported
    ? { action: 'UNAUTHORIZED', refusal: refusal('invalid_token', PROBLEM.tokenRefused, MESSAGE) }
    : { action: 'BAD_REQUEST', refusal: refusal('invalid_request', PROBLEM.tokenRefusedAsBadRequest, MESSAGE) };
}
