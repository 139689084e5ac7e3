import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';

/**
 * rate-limiter-flexible hands every call's options object to the insurance limiter when the store fails; the
 * insurance marks it, so the caller can tell, call by call, whether the shared store counted it.
 */
export interface CallMark {
  insured: boolean;
}

function isCallMark(value: unknown): value is CallMark {
  return typeof value === 'object' && value !== null && 'insured' in value;
}

/**
 * Whether the shared counters (Redis) or the local insurance counters are in use. An episode starts with the
 * first call the insurance had to count: one warning, one count in the metric. It ends with the first call the
 * store counted itself within its deadline.
 */
export class StoreFallback {
  #onInsurance = false;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
    /** Why the store is away, when its connection said (WRONGPASS, ECONNREFUSED); a silent store says nothing. */
    private readonly cause: () => string | undefined = () => undefined,
  ) {}

  get onInsurance(): boolean {
    return this.#onInsurance;
  }

  insuranceUsed(mark: unknown): void {
    if (isCallMark(mark)) mark.insured = true;
    if (this.#onInsurance) return;
    this.#onInsurance = true;
    this.metrics.rateLimitFallbackStarted();
    const cause = this.cause();
    this.logger.warn(
      cause === undefined ? {} : { cause },
      'the rate limit store (Redis) is unreachable or slow: limits are counted by this replica alone until it answers again',
    );
  }

  /**
   * The store's connection is back after it was lost: the episode is over without waiting for a call the store
   * counts, which under a flood of requests refused on arrival may not come for a long time.
   */
  reconnected(): void {
    if (!this.#onInsurance) return;
    this.#end();
  }

  /** A call has ended; if the store counted it, any episode is over. */
  settled(mark: CallMark): void {
    if (mark.insured || !this.#onInsurance) return;
    this.#end();
  }

  #end(): void {
    this.#onInsurance = false;
    this.metrics.rateLimitFallbackEnded();
    this.logger.info('the rate limit store (Redis) answers again: limits are shared across replicas again');
  }
}
