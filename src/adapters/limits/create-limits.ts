import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitName, LimitRule } from '../../domain/limits';
import type { LimitSettings } from '../../config/gateway-config';
import type { Limits } from '../../ports/limit';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import { FlexibleLimit } from './flexible-limit';
import { InsuranceLimiter } from './insurance-limiter';
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

function redisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    // Commands fail at once while disconnected instead of queueing: the insurance limiter counts meanwhile.
    enableOfflineQueue: false,
    // Every check issued in the same tick, by all requests in flight, goes out in one write: far fewer system calls.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    // Reconnects for as long as the process lives, at most every 2 s, so the shared counters come back by themselves.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    lazyConnect: false,
  });
  // ioredis prints unhandled error events to stderr; the fallback watch reports the episode instead.
  client.on('error', (error: NodeJS.ErrnoException) => logger.debug({ code: error.code }, 'rate limit store connection error'));
  client.on('ready', () => logger.info('rate limit store (Redis) connected'));
  return client;
}

/**
 * A limit counted by a shared store within `timeoutMs`, and by this replica's insurance limiter whenever the
 * store fails or is late; `fallback` hears of each.
 */
export function insuredLimit(name: LimitName, rule: LimitRule, store: RateLimiterAbstract, timeoutMs: number, fallback: StoreFallback): FlexibleLimit {
  const limiter = new RLWrapperTimeouts({ limiter: store, timeoutMs, insuranceLimiter: new InsuranceLimiter(rule.count, rule.windowSeconds, fallback) });
  return new FlexibleLimit(name, rule, limiter, fallback);
}

/** The limits switched on, counted in memory, or in Redis (shared by every replica) with local insurance. */
export function createLimits(settings: LimitSettings, logger: Logger, metrics: GatewayMetrics): OpenedLimits {
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

  const client = redisClient(redis.url.reveal(), logger);
  const fallback = new StoreFallback(logger, metrics);
  for (const [field, name, rule] of active) {
    const store = new RateLimiterRedis({
      storeClient: client,
      keyPrefix: `${KEY_PREFIX}${name}`,
      points: rule.count,
      duration: rule.windowSeconds,
      rejectIfRedisNotReady: true,
      // A key over its limit is refused from memory until its window ends, without asking Redis again.
      inMemoryBlockOnConsumed: rule.count + 1,
    });
    limits[field] = insuredLimit(name, rule, store, redis.timeoutMs, fallback);
  }
  return {
    limits,
    store: 'redis',
    ready: () =>
      new Promise<void>((resolve) => {
        if (client.status === 'ready') return resolve();
        const done = (): void => {
          clearTimeout(timer);
          client.off('ready', done);
          // Not connected yet: the episode starts now, with its one warning, rather than at the first request.
          if (client.status !== 'ready') fallback.insuranceUsed(undefined);
          resolve();
        };
        const timer = setTimeout(done, CONNECT_WAIT_MS);
        client.once('ready', done);
      }),
    close: async () => {
      client.disconnect();
    },
  };
}
