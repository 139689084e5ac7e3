/** The abuse limits the gateway enforces, each with its own counter. */
export const LIMIT_NAMES = ['registrations_per_ip', 'registrations_total', 'auth_failures_per_ip'] as const;

export type LimitName = (typeof LIMIT_NAMES)[number];

/** At most `count` events per `windowSeconds`, counted in fixed windows that start with the first event. */
export interface LimitRule {
  readonly count: number;
  readonly windowSeconds: number;
}

/** What is left of one key's window: events still allowed in it, and the seconds until it ends. */
export interface Quota {
  readonly remaining: number;
  readonly resetSeconds: number;
}

/** Within the limit: `quota` is undefined when the count could not be made, and the event was let through uncounted. */
export type LimitVerdict =
  | { readonly kind: 'within'; readonly quota: Quota | undefined }
  | { readonly kind: 'exceeded'; readonly retryAfterSeconds: number };

export type Exceeded = Extract<LimitVerdict, { kind: 'exceeded' }>;
