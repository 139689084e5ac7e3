import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type { StoreFallback } from './store-fallback';

type Options = { [key: string]: unknown } | undefined;

/**
 * rate-limiter-flexible's insurance limiter: counts in this replica's memory whatever Redis could not count in
 * time, and tells the fallback watch each time it has to.
 */
export class InsuranceLimiter extends RateLimiterMemory {
  readonly #fallback: StoreFallback;

  constructor(points: number, duration: number, fallback: StoreFallback) {
    super({ points, duration });
    this.#fallback = fallback;
  }

  override consume(key: string | number, points?: number, options?: Options): Promise<RateLimiterRes> {
    this.#fallback.insuranceUsed(options);
    return super.consume(key, points, options);
  }

  override get(key: string | number, options?: Options): Promise<RateLimiterRes | null> {
    this.#fallback.insuranceUsed(options);
    return super.get(key, options);
  }

  override reward(key: string | number, points?: number, options?: Options): Promise<RateLimiterRes> {
    this.#fallback.insuranceUsed(options);
    return super.reward(key, points, options);
  }

  override penalty(key: string | number, points?: number, options?: Options): Promise<RateLimiterRes> {
    this.#fallback.insuranceUsed(options);
    return super.penalty(key, points, options);
  }
}
