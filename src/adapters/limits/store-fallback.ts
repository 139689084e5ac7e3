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

/** During an episode, how often the store is asked whether it answers again. */
const PROBE_EVERY_MS = 1_000;

/**
 * Whether the shared counters (Redis) or the local insurance counters are in use. An episode starts with the
 * first call the insurance had to count: one warning, one count in the metric. It ends with the first call the
 * store counted itself within its deadline.
 */
export class StoreFallback {
  #onInsurance = false;
  #nextProbeAt = 0;
  #ping: (() => Promise<boolean>) | undefined;
  #pinging: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
    /** Why the store is away, when its connection said (WRONGPASS, ECONNREFUSED); a silent store says nothing. */
    private readonly cause: () => string | undefined = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * How to ask the store, outside any call, whether it answers: during an episode it is asked once a second, so
   * the episode ends within a second of the store answering, even while every request is refused on arrival and
   * no call goes to it (a store that was stopped and resumed keeps its connection: no reconnection says so).
   */
  probeWith(ping: () => Promise<boolean>): void {
    this.#ping = ping;
  }

  /** Stops asking: the store is being closed. */
  stop(): void {
    clearInterval(this.#pinging);
    this.#pinging = undefined;
  }

  get onInsurance(): boolean {
    return this.#onInsurance;
  }

  /**
   * Whether a call should go to the store. Outside an episode, always. During one, once a second: a store that
   * holds its connection but does not answer (stopped, partitioned) made every call wait for its deadline, twice
   * per registration, and left each unanswered command queued on the connection; the rest go straight to the
   * insurance counters.
   */
  storeMayBeAsked(): boolean {
    if (!this.#onInsurance) return true;
    const now = this.now();
    if (now < this.#nextProbeAt) return false;
    this.#nextProbeAt = now + PROBE_EVERY_MS;
    return true;
  }

  insuranceUsed(mark: unknown): void {
    if (isCallMark(mark)) mark.insured = true;
    if (this.#onInsurance) return;
    this.#onInsurance = true;
    this.#nextProbeAt = this.now() + PROBE_EVERY_MS;
    const ping = this.#ping;
    if (ping !== undefined) {
      this.#pinging = setInterval(() => {
        void ping().then((answers) => {
          if (answers && this.#onInsurance) this.#end();
        });
      }, PROBE_EVERY_MS);
      this.#pinging.unref();
    }
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
    this.stop();
    this.#onInsurance = false;
    this.metrics.rateLimitFallbackEnded();
    this.logger.info('the rate limit store (Redis) answers again: limits are shared across replicas again');
  }
}
