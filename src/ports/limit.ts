import type { Exceeded, LimitName, LimitRule, LimitVerdict } from '../domain/limits';

/**
 * One abuse limit, counted per key (a client IP, or one key for a total). Implementations never throw and never
 * let an unavailable store turn the limit off: they fall back to counting locally.
 */
export interface Limit {
  readonly name: LimitName;
  readonly rule: LimitRule;
  /** Counts one event and says whether it was within the limit. */
  take(key: string): Promise<LimitVerdict>;
  /**
   * The refusal for a key that has used up the limit, or undefined; counts nothing and never waits for a store.
   * It answers from what this replica's own `take` and `count` calls learnt: shared across replicas, a key another
   * replica brought to the limit is refused here after one more `take` or `count` here.
   */
  refusal(key: string): Exceeded | undefined;
  /** Counts one event (a failure) whatever the verdict. */
  count(key: string): Promise<void>;
  /** Gives back one event `take` counted, for a request another limit refused after all. */
  refund(key: string): Promise<void>;
}

/** The limits switched on; one left out is off and costs nothing. */
export interface Limits {
  readonly registrationsPerIp?: Limit;
  readonly registrationsTotal?: Limit;
  readonly authFailuresPerIp?: Limit;
}
