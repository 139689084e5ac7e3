import type { OpenRedisConnection } from './redis-connection';

/**
 * node-redis, for RATE_LIMIT_REDIS_URL only: loading it takes some 70 ms of start-up and 2 MiB of memory (measured
 * after the rest of the gateway had loaded), which a gateway counting in memory has no use for.
 */
export async function loadRedisConnection(wanted: boolean): Promise<OpenRedisConnection | undefined> {
  if (!wanted) return undefined;
  const { openRedisConnection } = await import('./redis-connection.js');
  return openRedisConnection;
}
