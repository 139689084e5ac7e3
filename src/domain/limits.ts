/** The abuse limits the gateway enforces, each with its own counter. */
export const LIMIT_NAMES = ['registrations_per_ip', 'registrations_total', 'auth_failures_per_ip'] as const;

export type LimitName = (typeof LIMIT_NAMES)[number];

/** At most `count` events per `windowSeconds`, counted in fixed windows that start with the first event. */
export interface LimitRule {
  readonly count: number;
  readonly windowSeconds: number;
}

export type LimitVerdict =
  | { readonly kind: 'within'; readonly remaining: number; readonly resetSeconds: number }
  | { readonly kind: 'exceeded'; readonly retryAfterSeconds: number };

export type Exceeded = Extract<LimitVerdict, { kind: 'exceeded' }>;
