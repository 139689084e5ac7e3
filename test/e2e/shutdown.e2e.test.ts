import { connect } from 'node:net';
import { startFaultyAuthlete, updatedAnswer, type FaultyAuthlete } from '../support/fault-authlete';
import { startGatewayBehindContract } from '../support/gateway-contract';
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
    // A whole client information response (RFC 7592 section 3), as the contract proxy in front of the gateway requires.
    const client = { client_id: '42', client_name: 'ok', registration_access_token: 'rat-42', registration_client_uri: 'https://as.example.com/register/42' };
    authlete = await startFaultyAuthlete({ kind: 'slow', afterMs: AUTHLETE_DELAY_MS, status: 200, body: updatedAnswer(JSON.stringify(client)) });
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
    // The answers go through the contract proxy; the listener itself is probed directly, which a proxy would hide.
    const gateway = await startGatewayBehindContract(env());
    const before = authlete.requests();
    const inFlight = Array.from({ length: 8 }, (_, n) => update(gateway.url, n));
    await until(() => authlete.requests() - before === 8, 5_000);

    const exited = gateway.child.kill('SIGTERM') ? new Promise<number | null>((resolve) => gateway.child.once('exit', resolve)) : Promise.resolve(null);
    await until(() => gateway.output().includes('shutting down'), 2_000);
    const acceptingAfterSigterm = await canConnect(gateway.directUrl);
    const answers = await Promise.all(inFlight);

    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(gateway.violations()).toEqual([]);
    expect(acceptingAfterSigterm).toBe(false);
    expect(await exited).toBe(0);
    await gateway.stop();
    expect(gateway.output()).toContain('"result":"drained"');
  });

  // Sent directly: what is checked is that the service cuts the connection, which a proxy would turn into an answer.
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
});
