import { openRedisConnection } from '../../src/adapters/limits/redis-connection';
import { createClient } from 'redis';
import { createLimits, type OpenedLimits } from '../../src/adapters/limits/create-limits';
import { createLogger } from '../../src/adapters/logging/create-logger';
import { GatewayMetrics } from '../../src/adapters/observability/gateway-metrics';
import { Secret } from '../../src/domain/secret';
import { MemoryLog } from '../support/memory-log';
import { startRedis, type RunningRedis } from '../support/redis-launcher';

const RULE = { count: 2, windowSeconds: 60 };
const NONE = { registrationsPerIp: undefined, registrationsTotal: undefined, authFailuresPerIp: undefined };

/** The limits of one replica on the test's Redis, with everything they log kept. */
function open(url: string, timeoutMs: number) {
  const log = new MemoryLog();
  const metrics = new GatewayMetrics();
  const opened = createLimits({ ...NONE, registrationsPerIp: RULE, redis: { url: new Secret(url), timeoutMs } }, createLogger('debug', log), metrics, openRedisConnection);
  const warnings = () => log.records().filter((line) => line['level'] === 'warn');
  const episodes = async () => /dcr_rate_limit_fallback_episodes_total (\d+)/.exec(await metrics.render())?.[1];
  const active = async () => /^dcr_rate_limit_fallback_active (\d+)$/m.exec(await metrics.render())?.[1];
  return { opened, log, warnings, episodes, active };
}

async function takes(opened: OpenedLimits, key: string, times: number): Promise<string[]> {
  const kinds: string[] = [];
  for (let i = 0; i < times; i++) kinds.push((await opened.limits.registrationsPerIp?.take(key))?.kind ?? 'none');
  return kinds;
}

describe('the limits on a real Redis (node-redis)', () => {
  let redis: RunningRedis;
  let admin: ReturnType<typeof createClient>;

  beforeAll(async () => {
    redis = await startRedis();
    process.stdout.write(`\n[redis] started ${redis.how} at ${redis.url}\n`);
    admin = createClient({ url: redis.url });
    admin.on('error', () => {});
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    admin?.destroy();
    await redis?.stop();
  });

  it('count under the gateway key prefix, and count locally while Redis is slower than the timeout, then share again', async () => {
    const { opened, log, warnings, episodes } = open(redis.url, 50);
    try {
      await opened.ready();
      expect(log.records()).toContainEqual(expect.objectContaining({ level: 'info', msg: 'rate limit store (Redis) connected' }));
      expect(await takes(opened, 'a', 4)).toEqual(['within', 'within', 'exceeded', 'exceeded']);
      // The refusal that went over the limit was counted there; the next was refused from memory (inMemoryBlockOnConsumed).
      expect(await admin.get('dcr-gateway:limit:registrations_per_ip:a')).toBe('3');
      expect(warnings()).toEqual([]);

      // Connected, but silent: every check waits for the timeout, then the insurance limiter decides.
      // Redis 7.0 pauses CLIENT UNPAUSE too: the pause is short, and the admin's PING returns when it is over.
      await admin.sendCommand(['CLIENT', 'PAUSE', '3000', 'ALL']);
      const whilePaused = await takes(opened, 'b', 3);
      await admin.ping();

      expect(whilePaused).toEqual(['within', 'within', 'exceeded']);
      expect(warnings()).toEqual([expect.objectContaining({ msg: expect.stringContaining('counted by this replica alone') })]);
      expect(await episodes()).toBe('1');

      expect(await takes(opened, 'c', 1)).toEqual(['within']);
      expect(log.records().at(-1)).toMatchObject({ level: 'info', msg: expect.stringContaining('answers again') });
    } finally {
      await opened.close();
    }
  });

  it('end an episode once the lost connection is back, without waiting for a check: a flood refused on arrival asks Redis nothing', async () => {
    const { opened, log, episodes, active } = open(redis.url, 100);
    try {
      await opened.ready();
      // What a Redis restart or failover does to its clients: the connection is closed under them. Room for one
      // client, the admin's, keeps the gateway's from connecting again until the test lets it.
      const maxClients = (await admin.configGet('maxclients'))['maxclients'] ?? '10000';
      const back = log.next((line) => line['msg'] === 'rate limit store (Redis) connected');
      await admin.sendCommand(['CONFIG', 'SET', 'maxclients', '1']);
      await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
      try {
        expect(await takes(opened, 'f', 1)).toEqual(['within']);
        expect(await episodes()).toBe('1');
        expect(await active()).toBe('1');
      } finally {
        await admin.sendCommand(['CONFIG', 'SET', 'maxclients', maxClients]);
      }

      await back;

      expect(await active()).toBe('0');
      expect(log.records()).toContainEqual(expect.objectContaining({ level: 'info', msg: expect.stringContaining('answers again') }));
      expect(await episodes()).toBe('1');
    } finally {
      await opened.close();
    }
  });

  it('refuse a wrong password with one warning and keep limiting, logging the error code and never the password', async () => {
    const password = 'redis-Secret-4f1a9c';
    await admin.sendCommand(['CONFIG', 'SET', 'requirepass', password]);
    const port = new URL(redis.url).port;
    const wrong = open(`redis://:wrong-${password}@127.0.0.1:${port}`, 100);
    const right = open(`redis://:${password}@127.0.0.1:${port}`, 100);
    try {
      await Promise.all([wrong.opened.ready(), right.opened.ready()]);

      expect(await takes(wrong.opened, 'd', 3)).toEqual(['within', 'within', 'exceeded']);
      // The one warning says why, so a wrong password does not pass for an outage at the default log level.
      expect(wrong.warnings()).toEqual([expect.objectContaining({ cause: 'WRONGPASS' })]);
      expect(wrong.log.records()).toContainEqual(expect.objectContaining({ level: 'debug', code: 'WRONGPASS' }));
      expect(wrong.log.text()).not.toContain(password);

      expect(await takes(right.opened, 'e', 1)).toEqual(['within']);
      expect(right.warnings()).toEqual([]);
      expect(right.log.text()).not.toContain(password);
    } finally {
      await Promise.all([wrong.opened.close(), right.opened.close()]);
      await admin.sendCommand(['AUTH', password]);
      await admin.sendCommand(['CONFIG', 'SET', 'requirepass', '']);
    }
  });

  it('say NOAUTH when Redis wants a password the URL does not give, though it accepts the connection', async () => {
    const password = 'redis-Secret-b71e02';
    await admin.sendCommand(['CONFIG', 'SET', 'requirepass', password]);
    const none = open(redis.url, 100);
    try {
      await none.opened.ready();

      // Connected, yet refusing every command: the warning comes at start, with why, and no "connected" line.
      expect(none.warnings()).toEqual([expect.objectContaining({ cause: 'NOAUTH' })]);
      expect(none.log.records()).not.toContainEqual(expect.objectContaining({ msg: 'rate limit store (Redis) connected' }));
      expect(await takes(none.opened, 'g', 3)).toEqual(['within', 'within', 'exceeded']);
      expect(none.warnings()).toHaveLength(1);
    } finally {
      await none.opened.close();
      await admin.sendCommand(['AUTH', password]);
      await admin.sendCommand(['CONFIG', 'SET', 'requirepass', '']);
    }
  });

  it('close at once, whether Redis is there or not', async () => {
    const reachable = open(redis.url, 100);
    const unreachable = open('redis://127.0.0.1:1', 100);
    await Promise.all([reachable.opened.ready(), unreachable.opened.ready()]);
    await Promise.all([reachable.opened.close(), unreachable.opened.close()]);
    // Closed: no reconnection, and a check after close is still decided (by the insurance), not failed.
    expect(await takes(reachable.opened, 'f', 3)).toEqual(['within', 'within', 'exceeded']);
  });
});
