import { resolve } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { ROOT } from '../support/paths.mts';
import { startRedis, type RunningRedis } from '../support/redis-launcher';

const REPORT = resolve(ROOT, 'test', 'support', 'report-loaded-modules.cjs');

/** How many modules of the Redis client a gateway started with `env` had loaded when it stopped. */
async function redisModulesLoaded(env: Record<string, string>): Promise<number> {
  const gateway = await startGatewayProcess({ NODE_OPTIONS: `--require ${REPORT}`, ...env });
  expect(await register(gateway, '198.51.100.7')).toBe(201);
  expect(await gateway.stop()).toBe(0);
  const loaded = /redis client modules loaded: (\d+)/.exec(gateway.output())?.[1];
  if (loaded === undefined) throw new Error(`no module report in the output:\n${gateway.output()}`);
  return Number(loaded);
}

const LIMIT = 4;
const METADATA = '{"redirect_uris":["https://client.example.org/cb"]}';

/** A registration from the given client address, as the proxy in front (TRUST_PROXY_HOPS=1) reports it. */
async function register(gateway: GatewayProcess, clientIp: string): Promise<number> {
  const response = await send(`${gateway.url}/register`, {
    method: 'POST',
    headers: [['Content-Type', 'application/json'], ['X-Forwarded-For', clientIp]],
    body: METADATA,
  });
  return response.status;
}

async function metric(gateway: GatewayProcess, name: string): Promise<number> {
  const page = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
  const line = page.split('\n').find((row) => row.startsWith(`${name} `));
  return Number(line?.slice(name.length + 1));
}

function count(statuses: readonly number[], status: number): number {
  return statuses.filter((s) => s === status).length;
}

/** Registrations from one address, alternating between the replicas. */
async function alternate(replicas: readonly GatewayProcess[], clientIp: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push(await register(replicas[i % replicas.length] as GatewayProcess, clientIp));
  return statuses;
}

/**
 * Until the replica counts in Redis again: each try registers from an address of its own, so no counter the test
 * reads is touched. Bounded, since the Redis client tries to reconnect at least every two seconds.
 */
async function untilSharedAgain(gateway: GatewayProcess, deadlineMs = 15_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (let probe = 1; (await metric(gateway, 'dcr_rate_limit_fallback_active')) !== 0; probe++) {
    if (Date.now() > deadline) throw new Error(`the replica did not go back to Redis within ${deadlineMs} ms:\n${gateway.output()}`);
    await register(gateway, `192.0.2.${probe % 250}`);
  }
}

function replicaEnv(redis: RunningRedis): Record<string, string> {
  return {
    RATE_LIMIT_REDIS_URL: redis.url,
    LIMIT_REGISTRATIONS_PER_IP: `${LIMIT}/1h`,
    LIMIT_REGISTRATIONS_TOTAL: 'off',
    TRUST_PROXY_HOPS: '1',
    // The machine is shared and busy: a slow answer must not pass for an outage here (the outages below are real).
    RATE_LIMIT_REDIS_TIMEOUT_MS: '2000',
  };
}

describe('the Redis client (some 70 ms of start-up and 2 MiB once loaded)', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(() => redis?.stop());

  it('is loaded only when RATE_LIMIT_REDIS_URL is set', async () => {
    expect(await redisModulesLoaded({ TRUST_PROXY_HOPS: '1' })).toBe(0);
    expect(await redisModulesLoaded(replicaEnv(redis))).toBeGreaterThan(0);
  });
});

describe('two replicas sharing one Redis (RATE_LIMIT_REDIS_URL)', () => {
  let redis: RunningRedis;
  let replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    process.stdout.write(`\n[redis] started ${redis.how} at ${redis.url}\n`);
    const env = replicaEnv(redis);
    replicas = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await redis?.stop();
  });

  it('hold one per-IP limit together, keep limiting on their own while Redis is down, and share again once it is back', async () => {
    for (const replica of replicas) expect(replica.output()).toMatch(/"limits":\{"store":"redis"/);

    // Shared: N registrations from one address in total, not N per replica.
    const shared = await alternate(replicas, '198.51.100.1', 2 * LIMIT);
    for (const replica of replicas) expect(await metric(replica, 'dcr_rate_limit_fallback_episodes_total')).toBe(0);
    expect(count(shared, 201)).toBe(LIMIT);
    expect(count(shared, 429)).toBe(LIMIT);

    // Redis gone: every answer is still a decision (no 5xx), and each replica enforces the limit locally.
    await redis.interrupt();
    const alone = [];
    for (const replica of replicas) alone.push(...(await alternate([replica], '198.51.100.2', LIMIT + 2)));
    expect(alone.filter((status) => status >= 500)).toEqual([]);
    expect(count(alone, 201)).toBe(2 * LIMIT);
    expect(count(alone, 429)).toBe(4);
    for (const replica of replicas) {
      await replica.waitForOutput(/limits are counted by this replica alone/);
      expect(replica.output().split('limits are counted by this replica alone')).toHaveLength(2);
      expect(await metric(replica, 'dcr_rate_limit_fallback_episodes_total')).toBe(1);
      expect(await metric(replica, 'dcr_rate_limit_fallback_active')).toBe(1);
    }

    // Redis back: both replicas count there again, and hold one limit again.
    await redis.restore();
    for (const replica of replicas) await untilSharedAgain(replica);
    const again = await alternate(replicas, '198.51.100.3', 2 * LIMIT);
    expect(count(again, 201)).toBe(LIMIT);
    expect(count(again, 429)).toBe(LIMIT);
    for (const replica of replicas) await replica.waitForOutput(/limits are shared across replicas again/);
  }, 60_000);
});

describe('a replica started before its Redis answers', () => {
  let redis: RunningRedis;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    process.stdout.write(`\n[redis] started ${redis.how} at ${redis.url}\n`);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await redis?.stop();
  });

  it('starts and limits on its own with one warning, and counts in Redis once Redis comes up', async () => {
    await redis.interrupt();
    gateway = await startGatewayProcess(replicaEnv(redis));

    const alone = await alternate([gateway], '198.51.100.4', LIMIT + 2);
    expect(count(alone, 201)).toBe(LIMIT);
    expect(count(alone, 429)).toBe(2);
    expect(gateway.output().split('limits are counted by this replica alone')).toHaveLength(2);
    expect(await metric(gateway, 'dcr_rate_limit_fallback_episodes_total')).toBe(1);
    expect(gateway.output()).not.toContain('rate limit store (Redis) connected');

    await redis.restore();
    await untilSharedAgain(gateway);
    await gateway.waitForOutput(/rate limit store \(Redis\) connected/);
    await gateway.waitForOutput(/limits are shared across replicas again/);
    expect(await metric(gateway, 'dcr_rate_limit_fallback_episodes_total')).toBe(1);
  }, 60_000);
});
