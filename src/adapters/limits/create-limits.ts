import { RateLimiterMemory, RateLimiterRedis, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitName, LimitRule } from '../../domain/limits';
import type { LimitSettings } from '../../config/gateway-config';
import type { Limits } from '../../ports/limit';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import { FlexibleLimit } from './flexible-limit';
import { InsuranceLimiter } from './insurance-limiter';
import type { OpenRedisConnection } from './redis-connection';
import { StoreFallback } from './store-fallback';

export interface OpenedLimits {
  readonly limits: Limits;
  /** Where the counters live, for the start-up log line. */
  readonly store: 'memory' | 'redis' | 'none';
  /** Resolves once the store can count (at once in memory; Redis connected, or given up on after a bound). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const KEY_PREFIX = 'dcr-gateway:limit:';
/** How long start-up waits for Redis before serving on the local counters. */
const CONNECT_WAIT_MS = 2_000;

type Entry = readonly [keyof Limits, LimitName, LimitRule | undefined];
type ActiveEntry = readonly [keyof Limits, LimitName, LimitRule];

function rules(settings: LimitSettings): readonly ActiveEntry[] {
  const all: readonly Entry[] = [
    ['registrationsPerIp', 'registrations_per_ip', settings.registrationsPerIp],
    ['registrationsTotal', 'registrations_total', settings.registrationsTotal],
    ['authFailuresPerIp', 'auth_failures_per_ip', settings.authFailuresPerIp],
  ];
  return all.filter((entry): entry is ActiveEntry => entry[2] !== undefined);
}

/** The key the episode's probe writes to, in the first limit's space; no address reads like it. */
const PROBE_KEY = 'store-probe';

/** Whether `call` settled without failing within `timeoutMs`. */
function answersWithin(timeoutMs: number, call: Promise<unknown> | undefined): Promise<boolean> {
  if (call === undefined) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    call.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/**
 * A limit counted by a shared store within `timeoutMs`, and by this replica's insurance limiter whenever the
 * store fails or is late; `fallback` hears of each. The deadline costs a timer and two promises per call, about
 * 1 µs on the test machine; one timer shared by all the calls in flight measured slower.
 */
export function insuredLimit(name: LimitName, rule: LimitRule, store: RateLimiterAbstract, timeoutMs: number, fallback: StoreFallback): FlexibleLimit {
  const insurance = new InsuranceLimiter(rule.count, rule.windowSeconds, fallback);
  const limiter = new RLWrapperTimeouts({ limiter: store, timeoutMs, insuranceLimiter: insurance });
  return new FlexibleLimit(name, rule, limiter, { fallback, insurance });
}

/**
 * The limits switched on, counted in memory, or in Redis (shared by every replica) with local insurance, through
 * `openRedis` (see load-redis-connection.ts).
 */
export function createLimits(settings: LimitSettings, logger: Logger, metrics: GatewayMetrics, openRedis?: OpenRedisConnection): OpenedLimits {
  const active = rules(settings);
  if (active.length === 0) return { limits: {}, store: 'none', ready: async () => {}, close: async () => {} };
  const limits: { -readonly [K in keyof Limits]: Limits[K] } = {};
  const redis = settings.redis;
  if (redis === undefined) {
    for (const [field, name, rule] of active) {
      limits[field] = new FlexibleLimit(name, rule, new RateLimiterMemory({ points: rule.count, duration: rule.windowSeconds }));
    }
    return { limits, store: 'memory', ready: async () => {}, close: async () => {} };
  }

  if (openRedis === undefined) throw new Error('RATE_LIMIT_REDIS_URL is set, but the Redis client was not loaded');
  const connection = openRedis(redis.url.reveal(), logger);
  const fallback = new StoreFallback(logger, metrics, connection.lastErrorCode);
  connection.onReconnected(() => fallback.reconnected());
  const stores: RateLimiterRedis[] = [];
  // The probe is the limits' own kind of call (a script that writes, through rate-limiter-flexible), counting
  // nothing: a PING answered while writes were refused (Redis out of memory) ended the episode only for the next
  // check to fail and start another, a warning and an episode a second.
  fallback.probeWith(() => answersWithin(redis.timeoutMs, stores[0]?.penalty(PROBE_KEY, 0)));
  for (const [field, name, rule] of active) {
    const store = new RateLimiterRedis({
      storeClient: connection.client,
      useRedisPackage: true,
      keyPrefix: `${KEY_PREFIX}${name}`,
      points: rule.count,
      duration: rule.windowSeconds,
      rejectIfRedisNotReady: true,
      // A key over its limit is refused from memory until its window ends, without asking Redis again.
      inMemoryBlockOnConsumed: rule.count + 1,
    });
    stores.push(store);
    limits[field] = insuredLimit(name, rule, store, redis.timeoutMs, fallback);
  }
  return {
    limits,
    store: 'redis',
    ready: async () => {
      // Not connected yet: the episode starts now, with its one warning, rather than at the first request.
      if (!(await connection.connected(CONNECT_WAIT_MS))) fallback.insuranceUsed(undefined);
    },
    close: async () => {
      fallback.stop();
      connection.close();
    },
  };
}
