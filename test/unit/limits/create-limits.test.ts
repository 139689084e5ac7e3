import { openRedisConnection } from '../../../src/adapters/limits/redis-connection';
import { createLimits } from '../../../src/adapters/limits/create-limits';
import { createLogger } from '../../../src/adapters/logging/create-logger';
import { GatewayMetrics } from '../../../src/adapters/observability/gateway-metrics';
import { Secret } from '../../../src/domain/secret';
import { freePort } from '../../support/loopback.mts';
import { MemoryLog } from '../../support/memory-log';

const RULE = { count: 2, windowSeconds: 60 };
const NONE = { registrationsPerIp: undefined, registrationsTotal: undefined, authFailuresPerIp: undefined, redis: undefined };

describe('the limits as configured', () => {
  it('are nothing at all when every limit is off', () => {
    const opened = createLimits(NONE, createLogger('silent'), new GatewayMetrics());
    expect(opened.store).toBe('none');
    expect(opened.limits).toEqual({});
  });

  it('count in memory without RATE_LIMIT_REDIS_URL', async () => {
    const opened = createLimits({ ...NONE, registrationsPerIp: RULE }, createLogger('silent'), new GatewayMetrics());
    const limit = opened.limits.registrationsPerIp;
    expect(opened.store).toBe('memory');
    expect([(await limit?.take('a'))?.kind, (await limit?.take('a'))?.kind, (await limit?.take('a'))?.kind]).toEqual(['within', 'within', 'exceeded']);
  });

  it('say what is left of the window with each event let through', async () => {
    const opened = createLimits({ ...NONE, registrationsPerIp: RULE }, createLogger('silent'), new GatewayMetrics());
    const limit = opened.limits.registrationsPerIp;
    expect([await limit?.take('a'), await limit?.take('a')]).toEqual([
      { kind: 'within', quota: { remaining: 1, resetSeconds: 60 } },
      { kind: 'within', quota: { remaining: 0, resetSeconds: 60 } },
    ]);
  });

  it('start on local counters, with one warning, when Redis cannot be reached at start-up, and still limit', async () => {
    const log = new MemoryLog();
    const metrics = new GatewayMetrics();
    const url = new Secret(`redis://127.0.0.1:${await freePort()}`);
    const opened = createLimits({ ...NONE, registrationsPerIp: RULE, redis: { url, timeoutMs: 50 } }, createLogger('info', log), metrics, openRedisConnection);
    try {
      await opened.ready();
      const limit = opened.limits.registrationsPerIp;
      const verdicts = [await limit?.take('a'), await limit?.take('a'), await limit?.take('a')].map((verdict) => verdict?.kind);

      expect(opened.store).toBe('redis');
      expect(verdicts).toEqual(['within', 'within', 'exceeded']);
      expect(log.records().filter((line) => line['level'] === 'warn')).toEqual([expect.objectContaining({ msg: expect.stringContaining('counted by this replica alone') })]);
      expect(await metrics.render()).toContain('dcr_rate_limit_fallback_episodes_total 1');
      expect(log.text()).not.toContain(url.reveal());
    } finally {
      await opened.close();
    }
  });
});
