import { connect } from 'node:net';
import { startScriptedAuthlete } from '../support/scripted-authlete.mts';
import { startGatewayProcess } from '../support/gateway-process.mts';
import { report, residentMiB, START_FLAGS } from './process-figures';

const CLIENTS = 3_000;
const BODY_BYTES = 60 * 1024;
const POOL = 128;
const BATCH = 50;
const errors = new Map<string, number>();

/** One registration of a 60 KB metadata body, on its own connection; resolves with the status line's code. */
function register(url: string, body: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      // Written, not ended: a client that half-closes its side has hung up, as far as the gateway is concerned.
      socket.write(`POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
    );
    let answer = '';
    const status = (): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      // The whole answer is a JSON error: the connection itself stays open for keep-alive.
      if (answer.endsWith('}')) {
        resolve(status());
        socket.destroy();
      }
    });
    socket.on('close', () => resolve(status()));
    socket.on('error', (error: NodeJS.ErrnoException) => errors.set(error.code ?? '?', (errors.get(error.code ?? '?') ?? 0) + 1));
  });
}

async function run(extraEnv: Record<string, string>): Promise<Record<string, unknown> & { rssPeakMiB: number; authleteConnections: number; answers: Record<string, number> }> {
  const authlete = await startScriptedAuthlete({ kind: 'hold' });
  const gateway = await startGatewayProcess({
    AUTHLETE_BASE_URL: authlete.url,
    AUTHLETE_SERVICE_ID: '715948317',
    AUTHLETE_SERVICE_ACCESS_TOKEN: 'stress-service-token',
    AUTHLETE_TIMEOUT_MS: '5000',
    AUTHLETE_MAX_CONNECTIONS: String(POOL),
    // Every client here comes from 127.0.0.1: the per-address limit would cut the flood off after 20 and leave the
    // guard in front of Authlete, which this test is about, nothing to hold.
    LIMIT_REGISTRATIONS_PER_IP: 'off',
    LIMIT_REGISTRATIONS_TOTAL: 'off',
    ...extraEnv,
  }, START_FLAGS);
  try {
    const pid = gateway.pid;
    const before = residentMiB(pid).now;
    const body = JSON.stringify({ redirect_uris: ['https://app.example.com/cb'], padding: 'x'.repeat(BODY_BYTES - 60) });
    const started = performance.now();
    // Connected over a second and a half, so the listen backlog (511) takes them all: faster, the kernel resets
    // some before the gateway ever sees them. They are all in flight at once anyway: the admitted ones wait out
    // the timeout.
    const pending: Array<Promise<number>> = [];
    for (let n = 0; n < CLIENTS; n++) {
      pending.push(register(gateway.url, body));
      if (n % BATCH === BATCH - 1) await new Promise((next) => setTimeout(next, 25));
    }
    const statuses = await Promise.all(pending);
    const seconds = (performance.now() - started) / 1000;
    const memory = residentMiB(pid);
    const answers: Record<string, number> = {};
    // 0: the connection was closed on arrival (past MAX_CONNECTIONS), without an answer.
    for (const status of statuses) answers[status] = (answers[status] ?? 0) + 1;
    return {
      rssBeforeMiB: Math.round(before),
      rssPeakMiB: Math.round(memory.peak),
      rssAfterMiB: Math.round(memory.now),
      authleteConnections: authlete.connections(),
      authleteRequests: authlete.count(),
      answers,
      seconds: Math.round(seconds * 10) / 10,
      errors: Object.fromEntries(errors),
    };
  } finally {
    await gateway.stop();
    await authlete.close();
  }
}

describe(`a stalled Authlete under ${CLIENTS} concurrent ${BODY_BYTES / 1024} KB registrations`, () => {
  it('with the default settings: RSS under 200 MB, the excess shed at once, no more connections to Authlete than its pool', async () => {
    const figures = await run({});
    report('stalled Authlete, default settings', figures);
    expect(figures.rssPeakMiB).toBeLessThan(200);
    expect(figures.authleteConnections).toBeLessThanOrEqual(POOL);
    expect(figures.answers['503']).toBeGreaterThan(0);
    expect(figures.answers['504']).toBeLessThanOrEqual(2 * POOL);
  }, 120_000);

  it('with every connection let in (MAX_CONNECTIONS above the clients): the admission alone sheds the rest', async () => {
    const figures = await run({ MAX_CONNECTIONS: String(CLIENTS + 100) });
    report('stalled Authlete, MAX_CONNECTIONS above the clients', figures);
    // Every client got an answer: 503 at once past the admitted ones, 504 for those admitted, after the timeout.
    expect(Object.keys(figures.answers).sort()).toEqual(['503', '504']);
    expect(figures.answers['504']).toBeLessThanOrEqual(2 * POOL);
    expect(figures.authleteConnections).toBeLessThanOrEqual(POOL);
    // Memory here is bounded by the admission, not by MAX_CONNECTIONS; what each open connection costs to read
    // (Node reads 64 KiB at a time) comes on top, which is why MAX_CONNECTIONS has a default.
    expect(figures.rssPeakMiB).toBeLessThan(300);
  }, 120_000);
});
