import { connect, type Socket } from 'node:net';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { descriptors, report, START_FLAGS, until } from './process-figures';

const HEADERS_TIMEOUT_MS = 10_000;
const ATTACKERS = 1_100;
const DESCRIPTOR_LIMIT = 1_024;
/** How soon the attacker replaces a connection the gateway closed, keeping 1,100 open as far as it can. */
const RECONNECT_MS = 250;
const LEGITIMATE_REQUESTS = 10;
/** "Well under the header timeout": eviction makes room at once, so this is a generous bound for a busy machine. */
const PROMPT_MS = 1_000;

/**
 * The attacker: connections that send the start of a request and then nothing, never closing their own side, and
 * each replaced soon after the gateway closes it, for as long as the attack lasts.
 */
class HalfOpenAttack {
  #on = true;
  reconnected = 0;
  readonly #open = new Set<Socket>();

  constructor(private readonly url: string) {}

  async start(count: number): Promise<void> {
    for (let n = 0; n < count; n++) await this.#connect();
  }

  stop(): void {
    this.#on = false;
    for (const socket of this.#open) socket.destroy();
  }

  #connect(): Promise<void> {
    const { port } = new URL(this.url);
    return new Promise((resolve) => {
      const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true }, () => {
        socket.write('GET /register/42 HTTP/1.1\r\nHost: x\r\n');
        resolve();
      });
      this.#open.add(socket);
      // Closed by the gateway or refused: the attacker lets go of its side and comes back.
      socket.on('error', () => resolve());
      socket.on('end', () => socket.destroy());
      socket.on('close', () => {
        this.#open.delete(socket);
        resolve();
        if (!this.#on) return;
        setTimeout(() => {
          if (!this.#on) return;
          this.reconnected++;
          void this.#connect();
        }, RECONNECT_MS);
      });
    });
  }
}

/**
 * A legitimate client that retries every 100 ms until it gets its answer (a read without its token: the gateway's
 * own 401, no Authlete needed); resolves with how long that took.
 */
async function legitimate(url: string): Promise<{ ms: number; attempts: number }> {
  const started = performance.now();
  for (let attempts = 1; ; attempts++) {
    try {
      const answer = await send(`${url}/register/42`, { method: 'GET' });
      if (answer.status === 401) return { ms: performance.now() - started, attempts };
    } catch {
      // Closed on arrival, reset, or refused: try again.
    }
    await new Promise((next) => setTimeout(next, 100));
  }
}

function counter(metrics: string, name: string): number {
  return Number(new RegExp(`\\n${name}\\{listener="public"\\} (\\d+)`).exec(metrics)?.[1] ?? Number.NaN);
}

describe(`under a ${DESCRIPTOR_LIMIT} descriptor limit, ${ATTACKERS} half-open connections from one client`, () => {
  let gateway: GatewayProcess;
  let attack: HalfOpenAttack | undefined;
  beforeAll(async () => {
    gateway = await startGatewayProcess({}, { ...START_FLAGS, launcher: ['prlimit', `--nofile=${DESCRIPTOR_LIMIT}:${DESCRIPTOR_LIMIT}`, '--'] });
  });
  afterAll(async () => {
    attack?.stop();
    await gateway.stop();
  });

  it('delay a legitimate request well under the header timeout, and their descriptors stay under the limit and are given back', async () => {
    const pid = gateway.pid;
    const before = descriptors(pid);
    attack = new HalfOpenAttack(gateway.url);
    await attack.start(ATTACKERS);
    let peak = descriptors(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, descriptors(pid))), 20);

    // While the attacker keeps replacing what the gateway closes.
    const served: Array<{ ms: number; attempts: number }> = [];
    for (let n = 0; n < LEGITIMATE_REQUESTS; n++) {
      served.push(await legitimate(gateway.url));
      await new Promise((next) => setTimeout(next, 100));
    }
    clearInterval(sampler);
    const underAttack = descriptors(pid);
    const reconnected = attack.reconnected;
    attack.stop();
    await until(() => descriptors(pid) <= before + 5, 5_000, 'descriptors given back');
    const after = descriptors(pid);
    const metrics = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
    const evicted = counter(metrics, 'dcr_connections_evicted_total');
    const dropped = counter(metrics, 'dcr_connections_dropped_total');
    const slowestMs = Math.max(...served.map(({ ms }) => ms));
    report('descriptor exhaustion', {
      descriptorsBefore: before,
      descriptorsUnderAttack: underAttack,
      descriptorsPeak: peak,
      descriptorsAfter: after,
      attackerReconnections: reconnected,
      evicted,
      dropped,
      legitimateDelayMs: served.map(({ ms }) => Math.round(ms)),
      legitimateAttempts: served.map(({ attempts }) => attempts),
    });

    expect(peak).toBeLessThan(DESCRIPTOR_LIMIT);
    expect(slowestMs).toBeLessThan(Math.min(PROMPT_MS, HEADERS_TIMEOUT_MS));
    // Every legitimate request was served on its first connection: none was closed to make room.
    expect(served.map(({ attempts }) => attempts)).toEqual(Array(LEGITIMATE_REQUESTS).fill(1));
    expect(evicted).toBeGreaterThanOrEqual(ATTACKERS - 640);
    expect(dropped).toBe(0);
    expect(gateway.output().match(/connection limit reached/g)).toHaveLength(1);
  }, 60_000);
});
