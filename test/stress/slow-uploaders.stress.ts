import { connect } from 'node:net';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { report, START_FLAGS, until } from './process-figures';

const BODY_TIMEOUT_MS = 3_000;
const MAX_PENDING = 64;
const UPLOADERS = 80;
/** "Within about a second" of the deadline, on a busy shared machine. */
const SLACK_MS = 1_500;
const METADATA = JSON.stringify({ redirect_uris: ['https://app.example.com/cb'] });

interface Upload {
  readonly status: number;
  readonly afterMs: number;
}

/** A registration whose body arrives a byte every half second and would need minutes; resolves with its answer. */
function slowUpload(url: string): Promise<Upload> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    let started = 0;
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1', () => {
      started = performance.now();
      socket.write('POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"redirect_uris":');
    });
    const drip = setInterval(() => socket.writable && socket.write(' '), 500);
    const settle = (): void => {
      clearInterval(drip);
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), afterMs: performance.now() - started });
    };
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      if (answer.endsWith('}')) settle();
    });
    socket.on('close', settle);
    socket.on('error', () => undefined);
  });
}

const register = (url: string) =>
  send(`${url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: METADATA });

describe(`slow uploaders holding every AUTHLETE_MAX_PENDING place`, () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess(
      {
        BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
        AUTHLETE_MAX_PENDING: String(MAX_PENDING),
        // Everyone here comes from 127.0.0.1; the per-address limits are not what this is about.
        LIMIT_REGISTRATIONS_PER_IP: 'off',
        LIMIT_REGISTRATIONS_TOTAL: 'off',
      },
      START_FLAGS,
    );
  });
  afterAll(() => gateway.stop());

  it(`starve legitimate registrations for no longer than BODY_TIMEOUT_MS, and get 408 then`, async () => {
    const attackStarted = performance.now();
    const uploads = Array.from({ length: UPLOADERS }, () => slowUpload(gateway.url));
    await until(
      async () => /\ndcr_authority_admitted (\d+)/.exec((await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body)?.[1] === String(MAX_PENDING),
      10_000,
      'every place taken',
    );

    // A legitimate client that retries every 200 ms while it gets 503.
    const statuses: number[] = [];
    for (;;) {
      const { status } = await register(gateway.url);
      statuses.push(status);
      if (status !== 503) break;
      await new Promise((next) => setTimeout(next, 200));
    }
    const servedAfterMs = performance.now() - attackStarted;
    const answers = await Promise.all(uploads);
    const timedOut = answers.filter(({ status }) => status === 408);
    const slowest408Ms = Math.max(...timedOut.map(({ afterMs }) => afterMs));
    report('slow uploaders', {
      uploaders: UPLOADERS,
      maxPending: MAX_PENDING,
      bodyTimeoutMs: BODY_TIMEOUT_MS,
      answered408: timedOut.length,
      answered503: answers.filter(({ status }) => status === 503).length,
      slowest408Ms: Math.round(slowest408Ms),
      legitimateRefusedFirst: statuses.length - 1,
      legitimateServedAfterMs: Math.round(servedAfterMs),
    });

    // The places were held (the test would pass without the uploaders otherwise), and only until the deadline.
    expect(statuses[0]).toBe(503);
    expect(statuses.at(-1)).toBe(201);
    expect(servedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + SLACK_MS + 1_000);
    expect(timedOut).toHaveLength(MAX_PENDING);
    expect(slowest408Ms).toBeLessThan(BODY_TIMEOUT_MS + SLACK_MS);
  }, 60_000);
});
