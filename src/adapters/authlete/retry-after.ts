/** What a client is told to wait at least, and at most, whatever Authlete asked for. */
export const RETRY_AFTER_MIN_SECONDS = 1;
export const RETRY_AFTER_MAX_SECONDS = 120;
/** When Authlete said it is busy but not for how long. */
export const RETRY_AFTER_DEFAULT_SECONDS = 5;

// Any number of digits: one too long to count (99999999999999999999) is a long time, clamped like any other.
const DIGITS = /^\s*(\d+)\s*$/;

export function clampRetryAfter(seconds: number): number {
  return Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(RETRY_AFTER_MIN_SECONDS, Math.ceil(seconds)));
}

function secondsIn(value: string | null, nowMs: number, allowDate: boolean): number | undefined {
  if (value === null) return undefined;
  const digits = DIGITS.exec(value);
  if (digits !== null) return Number(digits[1]);
  if (!allowDate) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : (at - nowMs) / 1000;
}

/**
 * How long to tell the client to wait, from Authlete's `Retry-After` (delay-seconds or an HTTP date, RFC 9110
 * section 10.2.3) or else `RateLimit-Reset` (seconds until the quota resets), clamped to a sane range.
 */
export function retryAfterSeconds(headers: { get(name: string): string | null }, nowMs = Date.now()): number {
  const seconds = secondsIn(headers.get('retry-after'), nowMs, true) ?? secondsIn(headers.get('ratelimit-reset'), nowMs, false);
  return clampRetryAfter(seconds ?? RETRY_AFTER_DEFAULT_SECONDS);
}
