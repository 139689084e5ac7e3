import type { LimitName, LimitRule } from '../../domain/limits';

/** Which limit refused a request, and for how long. */
export interface LimitRefusal {
  readonly limit: LimitName;
  readonly rule: LimitRule;
  readonly retryAfterSeconds: number;
}

/**
 * The headers of a 429: Retry-After (RFC 9110, seconds) and the IETF httpapi rate-limit draft's fields, in its
 * current Structured Fields syntax: `RateLimit-Policy: "<name>";q=<quota>;w=<window s>` and
 * `RateLimit: "<name>";r=<remaining>;t=<seconds until reset>`.
 */
export function rateLimitHeaders({ limit, rule, retryAfterSeconds }: LimitRefusal): Record<string, string> {
  return {
    'Retry-After': String(retryAfterSeconds),
    'RateLimit-Policy': `"${limit}";q=${rule.count};w=${rule.windowSeconds}`,
    RateLimit: `"${limit}";r=0;t=${retryAfterSeconds}`,
  };
}
