import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitName, LimitRule, LimitVerdict } from '../../domain/limits';
import type { Limit } from '../../ports/limit';
import type { StoreFallback } from './store-fallback';

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function within(res: RateLimiterRes, count: number): LimitVerdict {
  return { kind: 'within', remaining: Math.max(0, count - res.consumedPoints), resetSeconds: seconds(res.msBeforeNext) };
}

function exceeded(res: RateLimiterRes): LimitVerdict {
  return { kind: 'exceeded', retryAfterSeconds: seconds(res.msBeforeNext) };
}

/**
 * One limit counted by rate-limiter-flexible, in memory or in Redis with a local insurance limiter. A limiter
 * that fails outright (which the in-memory insurance does not) lets the request through rather than failing it:
 * the limit protects Authlete, and a 5xx of its own would protect nothing.
 */
export class FlexibleLimit implements Limit {
  constructor(
    readonly name: LimitName,
    readonly rule: LimitRule,
    private readonly limiter: Pick<RateLimiterAbstract, 'consume' | 'get' | 'penalty' | 'reward'>,
    private readonly fallback?: StoreFallback,
  ) {}

  async take(key: string): Promise<LimitVerdict> {
    const mark = this.fallback === undefined ? undefined : { insured: false };
    try {
      const res = await this.limiter.consume(key, 1, mark);
      if (mark !== undefined) this.fallback?.settled(mark);
      return within(res, this.rule.count);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return { kind: 'within', remaining: 0, resetSeconds: this.rule.windowSeconds };
      if (mark !== undefined) this.fallback?.settled(mark);
      return exceeded(rejection);
    }
  }

  async check(key: string): Promise<LimitVerdict> {
    const mark = this.fallback === undefined ? undefined : { insured: false };
    try {
      const res = await this.limiter.get(key, mark);
      if (mark !== undefined) this.fallback?.settled(mark);
      if (res === null) return { kind: 'within', remaining: this.rule.count, resetSeconds: this.rule.windowSeconds };
      return res.consumedPoints >= this.rule.count ? exceeded(res) : within(res, this.rule.count);
    } catch {
      return { kind: 'within', remaining: 0, resetSeconds: this.rule.windowSeconds };
    }
  }

  async refund(key: string): Promise<void> {
    const mark = this.fallback === undefined ? undefined : { insured: false };
    try {
      await this.limiter.reward(key, 1, mark);
    } catch {
      // A refund that cannot be made leaves the count one too high until its window ends: harmless.
    }
  }

  async count(key: string): Promise<void> {
    const mark = this.fallback === undefined ? undefined : { insured: false };
    try {
      await this.limiter.penalty(key, 1, mark);
      if (mark !== undefined) this.fallback?.settled(mark);
    } catch {
      // Nothing to do: a failure that cannot be counted anywhere is not worth failing the request over.
    }
  }
}
