import type { LimitName, LimitRule, Quota } from '../../domain/limits';

/** Which limit refused a request, and for how long. */
export interface LimitRefusal {
  readonly limit: LimitName;
  readonly rule: LimitRule;
  readonly retryAfterSeconds: number;
}

/**
 * The IETF httpapi rate-limit draft's fields, in its current Structured Fields syntax:
 * `RateLimit-Policy: "<name>";q=<quota>;w=<window s>` and `RateLimit: "<name>";r=<remaining>;t=<seconds until reset>`.
 */
function rateLimitFields(limit: LimitName, rule: LimitRule, remaining: number, resetSeconds: number): Record<string, string> {
  return {
    'RateLimit-Policy': `"${limit}";q=${rule.count};w=${rule.windowSeconds}`,
    RateLimit: `"${limit}";r=${remaining};t=${resetSeconds}`,
  };
}

/** The headers of a 429: Retry-After (RFC 9110, seconds) and the rate-limit fields of the limit that refused. */
export function rateLimitHeaders({ limit, rule, retryAfterSeconds }: LimitRefusal): Record<string, string> {
  return { 'Retry-After': String(retryAfterSeconds), ...rateLimitFields(limit, rule, 0, retryAfterSeconds) };
}

/** The rate-limit fields of a request the limit let through: what the caller has left, so it can pace itself. */
export function quotaHeaders(limit: LimitName, rule: LimitRule, quota: Quota): Record<string, string> {
  return rateLimitFields(limit, rule, quota.remaining, quota.resetSeconds);
}
