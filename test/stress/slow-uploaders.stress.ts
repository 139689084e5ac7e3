import { connect } from 'node:net';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { report, START_FLAGS } from './process-figures';

const BODY_TIMEOUT_MS = 3_000;
const MAX_PENDING = 64;
/** More than there are places in front of Authlete: none of them may take one. */
const UPLOADERS = 80;
/** "Within about a second" of the deadline, on a busy shared machine. */
const SLACK_MS = 1_500;
const METADATA = JSON.stringify({ redirect_uris: ['https://app.example.com/cb'] });
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

interface Upload {
  /** Resolves once the gateway has asked for the body (its 100 Continue): from then on it is reading it. */
  readonly reading: Promise<void>;
  /** Whichever came first: the gateway asking for the body, or the connection closing without that. */
  readonly firstHeard: Promise<'reading' | 'closed'>;
  readonly answer: Promise<{ readonly status: number; readonly afterMs: number }>;
}

/** A registration whose body, once the gateway asks for it, arrives a byte every half second and would need minutes. */
function slowUpload(url: string, from = '127.0.0.1'): Upload {
  const { port } = new URL(url);
  let reading = (): void => undefined;
  const readingStarted = new Promise<void>((resolve) => (reading = resolve));
  let heard: (what: 'reading' | 'closed') => void = () => undefined;
  const firstHeard = new Promise<'reading' | 'closed'>((resolve) => (heard = resolve));
  void readingStarted.then(() => heard('reading'));
  const answer = new Promise<{ status: number; afterMs: number }>((resolve) => {
    let started = 0;
    let text = '';
    let drip: NodeJS.Timeout | undefined;
    const socket = connect({ port: Number(port), host: '127.0.0.1', localAddress: from }, () => {
      started = performance.now();
      socket.write('POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n');
    });
    const settle = (): void => {
      heard('closed');
      clearInterval(drip);
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), afterMs: performance.now() - started });
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.startsWith(CONTINUE)) {
        text = text.slice(CONTINUE.length);
        socket.write('{"redirect_uris":');
        drip = setInterval(() => socket.writable && socket.write(' '), 500);
        reading();
      }
      if (text.endsWith('}')) settle();
    });
    socket.on('close', settle);
    socket.on('error', () => undefined);
  });
  return { reading: readingStarted, firstHeard, answer };
}

const register = (url: string) =>
  send(`${url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: METADATA });

const admitted = async (gateway: GatewayProcess): Promise<number> =>
  Number(/\ndcr_authority_admitted (\d+)/.exec((await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body)?.[1]);

describe(`slow uploaders, more of them than AUTHLETE_MAX_PENDING places`, () => {
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

  it(`hold no place in front of Authlete while their bodies trickle in, and get 408 at BODY_TIMEOUT_MS`, async () => {
    const uploads = Array.from({ length: UPLOADERS }, () => slowUpload(gateway.url));
    // Every one of them is being read: had a place been taken for each, the last 16 would have had 503 instead.
    await Promise.all(uploads.map(({ reading }) => reading));
    const admittedWhileTrickling = await admitted(gateway);
    const servedStarted = performance.now();
    const legitimate = await register(gateway.url);
    const servedInMs = performance.now() - servedStarted;
    const answers = await Promise.all(uploads.map(({ answer }) => answer));
    const timedOut = answers.filter(({ status }) => status === 408);
    const slowest408Ms = Math.max(...timedOut.map(({ afterMs }) => afterMs));
    report('slow uploaders', {
      uploaders: UPLOADERS,
      maxPending: MAX_PENDING,
      bodyTimeoutMs: BODY_TIMEOUT_MS,
      admittedWhileTrickling,
      legitimateStatus: legitimate.status,
      legitimateServedInMs: Math.round(servedInMs),
      answered408: timedOut.length,
      slowest408Ms: Math.round(slowest408Ms),
    });

    expect(admittedWhileTrickling).toBe(0);
    expect(legitimate.status).toBe(201);
    expect(timedOut).toHaveLength(UPLOADERS);
    expect(slowest408Ms).toBeLessThan(BODY_TIMEOUT_MS + SLACK_MS);
    expect(await admitted(gateway)).toBe(0);
  }, 60_000);
});

describe('slow uploaders from one address, more of them than MAX_CONNECTIONS', () => {
  const MAX_CONNECTIONS = 50;
  const PER_ADDRESS = 10;
  const ATTACKERS = 100;
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess(
      {
        BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
        MAX_CONNECTIONS: String(MAX_CONNECTIONS),
        MAX_CONNECTIONS_PER_IP: String(PER_ADDRESS),
        LIMIT_REGISTRATIONS_PER_IP: 'off',
        LIMIT_REGISTRATIONS_TOTAL: 'off',
      },
      START_FLAGS,
    );
  });
  afterAll(() => gateway.stop());

  it('with MAX_CONNECTIONS_PER_IP, hold only their own address\'s connections: everyone else is served at once', async () => {
    // One address, the attacker's; without the cap, its 100 would hold all 50 connections for BODY_TIMEOUT_MS and
    // every other client would be closed on arrival meanwhile.
    const uploads = Array.from({ length: ATTACKERS }, () => slowUpload(gateway.url, '127.0.0.9'));
    const heard = await Promise.all(uploads.map(({ firstHeard }) => firstHeard));
    const servedStarted = performance.now();
    const legitimate = await Promise.all(Array.from({ length: 10 }, () => register(gateway.url)));
    const servedInMs = performance.now() - servedStarted;
    const answers = await Promise.all(uploads.map(({ answer }) => answer));
    const metrics = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
    const refused = Number(/\ndcr_connections_refused_per_ip_total (\d+)/.exec(metrics)?.[1]);
    report('slow uploaders from one address', {
      attackers: ATTACKERS,
      maxConnections: MAX_CONNECTIONS,
      maxConnectionsPerIp: PER_ADDRESS,
      beingRead: heard.filter((what) => what === 'reading').length,
      closedOnArrival: heard.filter((what) => what === 'closed').length,
      refusedMetric: refused,
      legitimateStatuses: [...new Set(legitimate.map(({ status }) => status))],
      legitimateServedInMs: Math.round(servedInMs),
      answered408: answers.filter(({ status }) => status === 408).length,
    });

    expect(heard.filter((what) => what === 'reading')).toHaveLength(PER_ADDRESS);
    expect(refused).toBe(ATTACKERS - PER_ADDRESS);
    expect(legitimate.map(({ status }) => status)).toEqual(Array(10).fill(201));
    expect(answers.filter(({ status }) => status === 408)).toHaveLength(PER_ADDRESS);
  }, 60_000);
});
