import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Exceeded, LimitName, LimitRule, LimitVerdict } from '../../domain/limits';
import type { Limit } from '../../ports/limit';
import type { CallMark, StoreFallback } from './store-fallback';

type Limiter = Pick<RateLimiterAbstract, 'consume' | 'penalty' | 'reward'>;

const UNCOUNTED: LimitVerdict = { kind: 'within', quota: undefined };

/** How many remembered keys start a sweep of the ended ones. */
const SWEEP_AT = 10_000;

type Asked =
  | { readonly kind: 'counted'; readonly res: RateLimiterRes | null }
  | { readonly kind: 'refused'; readonly res: RateLimiterRes }
  | { readonly kind: 'failed' };

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function exceeded(msBeforeNext: number): Exceeded {
  return { kind: 'exceeded', retryAfterSeconds: seconds(msBeforeNext) };
}

/**
 * One limit counted by rate-limiter-flexible, in memory or in Redis with a local insurance limiter. A limiter
 * that fails outright (which the in-memory insurance does not) lets the request through rather than failing it:
 * the limit protects Authlete, and a 5xx of its own would protect nothing.
 */
export class FlexibleLimit implements Limit {
  /**
   * Keys this replica's counting found at the limit (a `take` refused, a `count` that reached it), with the end of
   * their window. A check reads this instead of asking the store: it is on the path of every management request,
   * and a round trip to Redis there would cost more than the rest of the gateway's own work.
   */
  readonly #usedUp = new Map<string, number>();
  #sweepAt = SWEEP_AT;

  constructor(
    readonly name: LimitName,
    readonly rule: LimitRule,
    private readonly limiter: Limiter,
    /** With a shared store: the watch of its episodes, and the local counters that stand in for it meanwhile. */
    private readonly insured?: { readonly fallback: StoreFallback; readonly insurance: Limiter },
  ) {}

  async take(key: string): Promise<LimitVerdict> {
    const answer = await this.#ask((limiter, mark) => limiter.consume(key, 1, mark));
    if (answer.kind === 'refused') {
      this.#remember(key, answer.res.msBeforeNext);
      return exceeded(answer.res.msBeforeNext);
    }
    return answer.kind === 'counted' && answer.res !== null ? this.#within(answer.res) : UNCOUNTED;
  }

  refusal(key: string): Exceeded | undefined {
    const until = this.#usedUp.get(key);
    if (until === undefined) return undefined;
    const left = until - Date.now();
    if (left > 0) return exceeded(left);
    this.#usedUp.delete(key);
    return undefined;
  }

  async count(key: string): Promise<void> {
    const answer = await this.#ask((limiter, mark) => limiter.penalty(key, 1, mark));
    if (answer.kind === 'counted' && answer.res !== null && answer.res.consumedPoints >= this.rule.count) this.#remember(key, answer.res.msBeforeNext);
  }

  /**
   * A key found at the limit, until its window ends. Only keys at their limit are kept, and the
   * ended ones are swept once there are many, so an attacker walking through addresses cannot grow this for ever.
   */
  #remember(key: string, msBeforeNext: number): void {
    const now = Date.now();
    if (this.#usedUp.size >= this.#sweepAt) {
      for (const [held, until] of this.#usedUp) if (until <= now) this.#usedUp.delete(held);
      // Many keys still in their window: the next sweep waits until there are twice as many, or every new key
      // would walk them all again.
      this.#sweepAt = Math.max(SWEEP_AT, 2 * this.#usedUp.size);
    }
    this.#usedUp.set(key, now + msBeforeNext);
  }

  async refund(key: string): Promise<void> {
    await this.#ask((limiter, mark) => limiter.reward(key, 1, mark));
  }

  /**
   * One call to the limiter: what it counted, its refusal (rate-limiter-flexible rejects with a result, which for a
   * key blocked in memory need not say how much was consumed), or its failure. A call the store itself answered
   * ends any fallback episode.
   */
  async #ask(call: (limiter: Limiter, mark: CallMark | undefined) => Promise<RateLimiterRes | null>): Promise<Asked> {
    const insured = this.insured;
    const mark = insured === undefined ? undefined : { insured: false };
    // During an episode most calls skip the store (see StoreFallback.storeMayBeAsked); the insurance marks them.
    const limiter = insured === undefined || insured.fallback.storeMayBeAsked() ? this.limiter : insured.insurance;
    try {
      const res = await call(limiter, mark);
      if (mark !== undefined) insured?.fallback.settled(mark);
      return { kind: 'counted', res };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return { kind: 'failed' };
      if (mark !== undefined) insured?.fallback.settled(mark);
      return { kind: 'refused', res: rejection };
    }
  }

  #within(res: RateLimiterRes): LimitVerdict {
    return { kind: 'within', quota: { remaining: Math.max(0, this.rule.count - res.consumedPoints), resetSeconds: seconds(res.msBeforeNext) } };
  }
}
