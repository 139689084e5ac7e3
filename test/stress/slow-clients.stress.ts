import { connect, type Socket } from 'node:net';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { report, START_FLAGS } from './process-figures';

// The README's documented limits (src/adapters/http/gateway-server.ts).
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** "Within about a second": Node checks the timeouts once a second, and a busy shared machine adds a little. */
const SLACK_MS = 1_500;

interface Seen {
  readonly answer: string;
  /** From the first byte sent to the gateway ending its side of the connection. */
  readonly closedAfterMs: number;
}

/**
 * Opens a connection, runs `act` on it, and resolves once the gateway has ended its side and let go of the socket:
 * the client never closes its own side, so bytes written after the gateway's end are answered with a reset only
 * when the gateway destroyed its socket (one it merely ended would take them and keep the descriptor).
 */
function watch(url: string, act: (socket: Socket) => void): Promise<Seen> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true }, () => {
      const started = performance.now();
      let answer = '';
      let endedAfterMs = Number.NaN;
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      socket.on('end', () => {
        endedAfterMs = performance.now() - started;
        // A reset surfaces on a write after it arrives, not on the first one: keep writing until it does.
        const probe = setInterval(() => socket.write('still there?'), 100);
        socket.once('close', () => clearInterval(probe));
      });
      socket.on('close', () => resolve({ answer, closedAfterMs: endedAfterMs }));
      act(socket);
    });
    // Before the connection, an error is the test's failure; after it, the reset is what is being waited for.
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
    });
  });
}

describe('slow clients are cut off within about a second of the documented timeouts', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS), BODY_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) }, START_FLAGS);
  });
  afterAll(() => gateway.stop());

  it('headers, whole request and idle keep-alive', async () => {
    const [headers, request, idle] = await Promise.all([
      // Headers that never end.
      watch(gateway.url, (socket) => socket.write('GET /register/42 HTTP/1.1\r\nHost: x\r\n')),
      // Headers over 4 s (under the header timeout), then a body one byte every half second that would need a
      // minute: the request timeout, counted from the first byte, comes 4 s before the body's own deadline would.
      watch(gateway.url, (socket) => {
        socket.write('PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n');
        let drip: NodeJS.Timeout | undefined;
        const rest = setTimeout(() => {
          socket.write('Content-Type: application/json\r\nContent-Length: 120\r\n\r\n');
          drip = setInterval(() => (socket.writable ? socket.write(' ') : clearInterval(drip)), 500);
        }, 4_000);
        socket.once('close', () => {
          clearTimeout(rest);
          clearInterval(drip);
        });
      }),
      // One request answered, then nothing.
      watch(gateway.url, (socket) => socket.write('GET /register/42 HTTP/1.1\r\nHost: x\r\n\r\n')),
    ]);
    report('slow clients', {
      headersTimeoutMs: Math.round(headers.closedAfterMs),
      requestTimeoutMs: Math.round(request.closedAfterMs),
      keepAliveTimeoutMs: Math.round(idle.closedAfterMs),
    });

    expect(headers.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(headers.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(headers.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);

    expect(request.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(request.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(request.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);

    expect(idle.answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(idle.closedAfterMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 50);
    expect(idle.closedAfterMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + SLACK_MS);
  }, 60_000);
});
