// A WWW-Authenticate value: visible ASCII, spaces and tabs only (no CR, LF or other control character that
// could split the header or smuggle another), starting with the Bearer scheme (RFC 6750 section 3).
const SANE_CHALLENGE = /^Bearer(?:[ \t][\x20-\x7E\t]*)?$/i;
const MAX_CHALLENGE = 1_024;

/**
 * Authlete's `responseContent` for the WWW-Authenticate header when it is a sane, bounded Bearer challenge;
 * otherwise the gateway's own fixed challenge. The text comes from outside and goes into a header verbatim.
 */
export function challengeOr(challenge: string | undefined, fallback: string): string {
  return challenge !== undefined && challenge.length <= MAX_CHALLENGE && SANE_CHALLENGE.test(challenge) ? challenge : fallback;
}
