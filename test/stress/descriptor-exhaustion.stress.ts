import { connect, type Socket } from 'node:net';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { descriptors, report, START_FLAGS, until } from './process-figures';

const HEADERS_TIMEOUT_MS = 10_000;
const ATTACKERS = 1_100;
const DESCRIPTOR_LIMIT = 1_024;

/** A connection that sends the start of a request and then nothing, and never closes its own side. */
function halfOpen(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true }, () => {
      socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
      resolve(socket);
    });
    // Closed on arrival (past MAX_CONNECTIONS) or refused: the attacker does not care.
    socket.on('error', () => resolve(socket));
  });
}

/** A legitimate client that retries every 100 ms until it gets its answer; resolves with how long that took. */
async function legitimate(url: string, started: number): Promise<number> {
  for (;;) {
    try {
      const answer = await send(`${url}/health/live`, { method: 'GET' });
      if (answer.status === 200) return performance.now() - started;
    } catch {
      // Closed on arrival, reset, or refused: try again.
    }
    await new Promise((next) => setTimeout(next, 100));
  }
}

describe(`under a ${DESCRIPTOR_LIMIT} descriptor limit, ${ATTACKERS} half-open connections from one client`, () => {
  let gateway: GatewayProcess;
  const held: Socket[] = [];
  beforeAll(async () => {
    gateway = await startGatewayProcess({}, { ...START_FLAGS, launcher: ['prlimit', `--nofile=${DESCRIPTOR_LIMIT}:${DESCRIPTOR_LIMIT}`, '--'] });
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await gateway.stop();
  });

  it('delay a legitimate request by no more than the header timeout, and their descriptors are given back', async () => {
    const pid = gateway.pid;
    const before = descriptors(pid);
    const started = performance.now();
    for (let n = 0; n < ATTACKERS; n++) held.push(await halfOpen(gateway.url));
    const underAttack = descriptors(pid);

    const delayMs = await legitimate(gateway.url, started);
    await until(() => descriptors(pid) <= before + 5, 5_000, 'descriptors given back');
    const after = descriptors(pid);
    const metrics = await send(`${gateway.url}/metrics`, { method: 'GET' });
    const dropped = Number(/\ndcr_connections_dropped_total (\d+)/.exec(metrics.body)?.[1] ?? Number.NaN);
    report('descriptor exhaustion', { descriptorsBefore: before, descriptorsUnderAttack: underAttack, descriptorsAfter: after, dropped, legitimateDelayMs: Math.round(delayMs) });

    expect(underAttack).toBeLessThan(DESCRIPTOR_LIMIT);
    expect(delayMs).toBeLessThan(HEADERS_TIMEOUT_MS + 2_000);
    expect(dropped).toBeGreaterThan(0);
    expect(gateway.output().match(/connection limit reached/g)).toHaveLength(1);
  }, 60_000);
});
