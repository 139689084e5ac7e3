import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { insuredLimit } from '../../../src/adapters/limits/create-limits';
import { FlexibleLimit } from '../../../src/adapters/limits/flexible-limit';
import { StoreFallback } from '../../../src/adapters/limits/store-fallback';
import { createLogger } from '../../../src/adapters/logging/create-logger';
import { GatewayMetrics } from '../../../src/adapters/observability/gateway-metrics';
import { MemoryLog } from '../../support/memory-log';

type Mode = 'answers' | 'fails' | 'hangs' | 'blocks';

/** A store that counts like Redis would, or fails, or never answers, as the test says. */
class ScriptedStore extends RateLimiterMemory {
  mode: Mode = 'answers';
  /** Calls that reached the store. */
  asked = 0;

  override consume(key: string | number, points?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    this.asked++;
    if (this.mode === 'fails') return Promise.reject(new Error('connection is closed'));
    if (this.mode === 'hangs') return new Promise(() => {});
    // What RateLimiterRedis answers for a key it blocks in memory: a refusal that does not say what was consumed.
    if (this.mode === 'blocks') return Promise.reject(new RateLimiterRes(0, 5_000, 0, false));
    return super.consume(key, points, options);
  }

  override get(key: string | number, options?: { [key: string]: unknown }): Promise<RateLimiterRes | null> {
    return this.mode === 'answers' ? super.get(key, options) : Promise.reject(new Error('connection is closed'));
  }

  override penalty(key: string | number, points?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    return this.mode === 'answers' ? super.penalty(key, points, options) : Promise.reject(new Error('connection is closed'));
  }
}

function setUp() {
  const log = new MemoryLog();
  const metrics = new GatewayMetrics();
  const store = new ScriptedStore({ points: 3, duration: 60 });
  const clock = { now: 0 };
  const fallback = new StoreFallback(createLogger('info', log), metrics, undefined, () => clock.now);
  const limit = insuredLimit('registrations_per_ip', { count: 3, windowSeconds: 60 }, store, 20, fallback);
  const warnings = () => log.records().filter((line) => line['level'] === 'warn');
  const episodes = async () => /dcr_rate_limit_fallback_episodes_total (\d+)/.exec(await metrics.render())?.[1];
  return { store, limit, log, warnings, episodes, clock };
}

describe('a limit in a shared store with an insurance limiter', () => {
  it('keeps limiting on local counters when the store fails or hangs, warns once per episode, and goes back when it answers', async () => {
    const { store, limit, warnings, episodes, log, clock } = setUp();
    expect((await limit.take('a')).kind).toBe('within');
    expect(await episodes()).toBe('0');

    store.mode = 'fails';
    const whileFailing = [await limit.take('b'), await limit.take('b'), await limit.take('b'), await limit.take('b')].map((v) => v.kind);
    store.mode = 'hangs';
    const whileHanging = (await limit.take('b')).kind;

    expect(whileFailing).toEqual(['within', 'within', 'within', 'exceeded']);
    expect(whileHanging).toBe('exceeded');
    expect(warnings()).toHaveLength(1);
    expect(await episodes()).toBe('1');

    store.mode = 'answers';
    // The store is asked again a second later, and found answering.
    clock.now += 1_000;
    expect((await limit.take('b')).kind).toBe('within');
    expect(log.records().at(-1)).toMatchObject({ level: 'info', msg: expect.stringContaining('answers again') });

    store.mode = 'fails';
    await limit.take('c');
    await limit.take('c');
    expect(warnings()).toHaveLength(2);
    expect(await episodes()).toBe('2');
  });

  it('while the store hangs, asks it once a second and counts the rest locally at once', async () => {
    const { store, limit, clock } = setUp();
    store.mode = 'hangs';
    // Before, every call waited for the deadline (twice per registration) and left a command queued on the store.
    const kinds = [];
    for (let i = 0; i < 10; i++) kinds.push((await limit.take(`k${i}`)).kind);
    expect(kinds).toEqual(Array(10).fill('within'));
    // Only the call that started the episode.
    expect(store.asked).toBe(1);

    clock.now += 1_000;
    await limit.take('k');
    await limit.take('k');
    expect(store.asked).toBe(2);
  });

  it('ends an episode once the store answers its once-a-second ping, though no call asks it', async () => {
    const { store, log, clock } = setUp();
    const fallback = new StoreFallback(createLogger('info', log), new GatewayMetrics(), undefined, () => clock.now);
    let answering = false;
    let pinged: () => void = () => {};
    fallback.probeWith(async () => {
      pinged();
      return answering;
    });
    const pinging = insuredLimit('registrations_per_ip', { count: 3, windowSeconds: 60 }, store, 20, fallback);
    store.mode = 'hangs';
    await pinging.take('a');
    expect(fallback.onInsurance).toBe(true);
    // A ping the store does not answer leaves the episode on.
    await new Promise<void>((resolve) => (pinged = resolve));
    expect(fallback.onInsurance).toBe(true);

    // A store that was stopped and resumed kept its connection; requests refused on arrival never ask it. Before,
    // the episode (and dcr_rate_limit_fallback_active) went on until some call did.
    answering = true;
    await log.next((line) => String(line['msg']).includes('answers again'));
    expect(fallback.onInsurance).toBe(false);
  });

  it('takes any refusal of the store as a refusal, even one that does not say how much was consumed', async () => {
    const { store, limit, episodes } = setUp();
    store.mode = 'blocks';
    expect(await limit.take('a')).toEqual({ kind: 'exceeded', retryAfterSeconds: 5 });
    expect(await episodes()).toBe('0');
  });

  it('counts failures and checks them on local counters while the store fails', async () => {
    const { store, limit } = setUp();
    store.mode = 'fails';
    for (let i = 0; i < 3; i++) await limit.count('x');
    expect(limit.refusal('x')).toMatchObject({ kind: 'exceeded' });
    expect(limit.refusal('y')).toBeUndefined();
  });
});

describe('the refusal of a key at its limit (LIMIT_AUTH_FAILURES_PER_IP)', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses from the count that reaches the limit until the window ends, and not before or after', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T12:00:00Z') });
    const { limit } = setUp();
    await limit.count('x');
    await limit.count('x');
    expect(limit.refusal('x')).toBeUndefined();
    await limit.count('x');
    expect(limit.refusal('x')).toEqual({ kind: 'exceeded', retryAfterSeconds: 60 });
    jest.advanceTimersByTime(59_000);
    expect(limit.refusal('x')).toEqual({ kind: 'exceeded', retryAfterSeconds: 1 });
    jest.advanceTimersByTime(1_001);
    expect(limit.refusal('x')).toBeUndefined();
  });

  it('in a shared store, refuses on a replica that did not count the last failure after one more count of its own', async () => {
    const metrics = new GatewayMetrics();
    const fallback = new StoreFallback(createLogger('info', new MemoryLog()), metrics);
    // One store for both: what Redis is to two replicas.
    const shared = new ScriptedStore({ points: 3, duration: 60 });
    const rule = { count: 3, windowSeconds: 60 };
    const replicaA = insuredLimit('auth_failures_per_ip', rule, shared, 20, fallback);
    const replicaB = insuredLimit('auth_failures_per_ip', rule, shared, 20, fallback);
    await replicaA.count('x');
    await replicaA.count('x');
    await replicaA.count('x');
    expect(replicaA.refusal('x')).toMatchObject({ kind: 'exceeded' });
    expect(replicaB.refusal('x')).toBeUndefined();
    await replicaB.count('x');
    expect(replicaB.refusal('x')).toMatchObject({ kind: 'exceeded' });
  });

  it('lets an event through uncounted, with no quota to show, when a limiter without insurance fails outright', async () => {
    const failing = () => Promise.reject(new Error('connection is closed'));
    const limit = new FlexibleLimit('registrations_per_ip', { count: 3, windowSeconds: 60 }, { consume: failing, penalty: failing, reward: failing });
    expect(await limit.take('a')).toEqual({ kind: 'within', quota: undefined });
  });
});
