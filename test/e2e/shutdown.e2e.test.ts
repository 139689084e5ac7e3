import { connect } from 'node:net';
import { startFaultyAuthlete, updatedAnswer, type FaultyAuthlete } from '../support/fault-authlete';
import { startGatewayProcess } from '../support/gateway-process';
import { send, type ReceivedResponse } from '../support/http-client';

const AUTHLETE_DELAY_MS = 800;

function canConnect(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const update = (url: string, n: number): Promise<ReceivedResponse> =>
  send(`${url}/register/42`, {
    method: 'PUT',
    headers: [
      ['Authorization', 'Bearer rat-42'],
      ['Content-Type', 'application/json'],
      ['X-Request-Id', `in-flight-${n}`],
    ],
    body: '{"client_id":"42"}',
  });

describe('SIGTERM while requests are in flight', () => {
  let authlete: FaultyAuthlete;

  beforeAll(async () => {
    authlete = await startFaultyAuthlete({ kind: 'slow', afterMs: AUTHLETE_DELAY_MS, status: 200, body: updatedAnswer() });
  });
  afterAll(() => authlete.close());

  const env = (extra: Record<string, string> = {}) => ({
    AUTHLETE_BASE_URL: authlete.url,
    AUTHLETE_SERVICE_ID: '715948317',
    AUTHLETE_SERVICE_ACCESS_TOKEN: 'shutdown-service-token',
    AUTHLETE_TIMEOUT_MS: '5000',
    ...extra,
  });

  it('finishes every request in flight, refuses new connections, and exits 0', async () => {
    const gateway = await startGatewayProcess(env());
    const before = authlete.requests();
    const inFlight = Array.from({ length: 8 }, (_, n) => update(gateway.url, n));
    await until(() => authlete.requests() - before === 8, 5_000);

    const exited = gateway.stop();
    await until(() => gateway.output().includes('shutting down'), 2_000);
    const acceptingAfterSigterm = await canConnect(gateway.url);
    const answers = await Promise.all(inFlight);

    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(acceptingAfterSigterm).toBe(false);
    expect(await exited).toBe(0);
    expect(gateway.output()).toContain('"result":"drained"');
  });

  it('cuts off what is still open after the grace period, and still exits 0 promptly', async () => {
    const gateway = await startGatewayProcess(env({ SHUTDOWN_GRACE_MS: '100' }));
    const before = authlete.requests();
    const inFlight = update(gateway.url, 99).then(
      (answer) => answer.status,
      () => 'cut off',
    );
    await until(() => authlete.requests() - before === 1, 5_000);

    const started = Date.now();
    expect(await gateway.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(AUTHLETE_DELAY_MS);
    expect(await inFlight).toBe('cut off');
    expect(gateway.output()).toContain('"result":"cut_short"');
  });

  it('keeps accepting and answering, each answer closing its connection, for SHUTDOWN_DELAY_MS, readiness 503 at once', async () => {
    const gateway = await startGatewayProcess(env({ SHUTDOWN_DELAY_MS: '1500' }));
    const exited = gateway.stop();
    await until(() => gateway.output().includes('shutting down'), 2_000);

    const readiness = await send(`${gateway.url}/health/ready`, { method: 'GET' });
    const during = await update(gateway.url, 7);
    await until(() => gateway.output().includes('"result":"drained"') || gateway.child.exitCode !== null, 5_000);
    const acceptingAfterTheDelay = await canConnect(gateway.url);

    expect(readiness.status).toBe(503);
    expect(readiness.headers['connection']).toBe('close');
    expect(during.status).toBe(200);
    expect(during.headers['connection']).toBe('close');
    expect(acceptingAfterTheDelay).toBe(false);
    expect(await exited).toBe(0);
  });
});
