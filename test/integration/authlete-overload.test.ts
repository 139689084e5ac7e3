import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { TOKENS } from '../../src/composition/tokens';
import { startScriptedAuthlete, updatedAnswer, type ScriptedAuthlete } from '../support/scripted-authlete.mts';
import { startGatewayUnderTest, type GatewayUnderTest } from '../support/gateway-under-test';
import { jsonBody, send, type ReceivedResponse } from '../support/http-client';
import { SERVICE_TOKEN, testConfig } from '../support/test-config';

const INITIAL_ACCESS_TOKEN = 'iat-Vq73-never-log-me';
const REGISTRATION_ACCESS_TOKEN = 'rat-Mn52-never-log-me';

const update = (gateway: GatewayUnderTest, requestId: string, token = REGISTRATION_ACCESS_TOKEN) =>
  send(`${gateway.url}/register/42`, {
    method: 'PUT',
    headers: [
      ['Authorization', `Bearer ${token}`],
      ['Content-Type', 'application/json'],
      ['X-Request-Id', requestId],
    ],
    body: '{"client_id":"42"}',
  });

/** Sends the same update on a raw socket, to be hung up on by the test. */
function updateAndHangUpLater(url: string, requestId: string): Socket {
  const body = '{"client_id":"42"}';
  const socket = connect(Number(new URL(url).port), '127.0.0.1', () =>
    socket.write(
      `PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${REGISTRATION_ACCESS_TOKEN}\r\nContent-Type: application/json\r\n` +
        `X-Request-Id: ${requestId}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    ),
  );
  socket.on('error', () => undefined);
  return socket;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(5);
}

function expectBusy(response: ReceivedResponse, retryAfter: string): void {
  expect(response.status).toBe(503);
  expect(jsonBody(response)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
  expect(response.headers['retry-after']).toBe(retryAfter);
  expect(response.headers['cache-control']).toBe('no-store');
}

function loggedFailure(gateway: GatewayUnderTest, requestId: string): unknown {
  return gateway.log.records().find((line) => line['requestId'] === requestId)?.['failure'];
}

describe("Authlete's own 429 and 503", () => {
  let authlete: ScriptedAuthlete;
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    authlete = await startScriptedAuthlete({ kind: 'answer', status: 429, body: '{}', headers: { 'Retry-After': '7' } });
    gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: 1_000 }));
  });
  afterAll(async () => {
    await gateway.stop();
    await authlete.close();
  });

  it.each([
    [429, { 'Retry-After': '7' }, '7'],
    [503, { 'Retry-After': new Date(Date.now() + 20_000).toUTCString() }, expect.stringMatching(/^(19|20|21)$/)],
    [429, { 'RateLimit-Reset': '9' }, '9'],
    [503, { 'Retry-After': '999999' }, '120'],
    // Too many digits to count is a long time too, not "unsaid" (which would have given the default, 5).
    [503, { 'Retry-After': '99999999999999999999' }, '120'],
  ])('%s becomes 503 temporarily_unavailable with a clamped Retry-After, asked once', async (status, headers, retryAfter) => {
    authlete.behave({ kind: 'answer', status, body: '<html>busy</html>', contentType: 'text/html', headers });
    const before = authlete.count();
    const response = await update(gateway, `busy-${status}`);
    expect(response.status).toBe(503);
    expect(jsonBody(response)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(response.headers['retry-after']).toEqual(retryAfter);
    expect(authlete.count() - before).toBe(1);
    expect(loggedFailure(gateway, `busy-${status}`)).toMatchObject({ cause: 'rate_limited', status });
  });
});

describe('a stalled Authlete: calls wait for one of the pool connections and are dropped unsent once late', () => {
  it('opens no connection for a call whose deadline passed while it waited', async () => {
    const authlete = await startScriptedAuthlete({ kind: 'hold' });
    const gateway = await startGatewayUnderTest(
      testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: 400, AUTHLETE_MAX_CONNECTIONS: 2, AUTHLETE_MAX_PENDING: 20 }),
    );
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => update(gateway, `stalled-${n}`)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(504));
      // All twelve started waiting at once, so all were late when the first two timed out: only those two went out.
      expect(authlete.connections()).toBe(2);
      expect(authlete.count()).toBe(2);
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});

describe('clients that hang up while their call waits for a connection', () => {
  it('never have their call sent: a burst of hang-ups does not keep the pool busy for nobody', async () => {
    const authlete = await startScriptedAuthlete({ kind: 'hold' });
    const gateway = await startGatewayUnderTest(
      testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: 10_000, AUTHLETE_MAX_CONNECTIONS: 2, AUTHLETE_MAX_PENDING: 20 }),
    );
    const load = () => gateway.container.get(TOKENS.CallGuard).load();
    try {
      const served = [update(gateway, 'served-0'), update(gateway, 'served-1')];
      await authlete.waitForCalls(2);
      const sockets = Array.from({ length: 8 }, (_, n) => updateAndHangUpLater(gateway.url, `gone-${n}`));
      await until(() => load().waiting === 8);
      for (const socket of sockets) socket.destroy();
      // The hang-ups have reached the gateway once their places are given back.
      await until(() => load().admitted === 2);
      authlete.behave({ kind: 'answer', ...updatedAnswer() });
      authlete.release(updatedAnswer());

      expect((await Promise.all(served)).map((answer) => answer.status)).toEqual([200, 200]);
      const gone = () => gateway.log.records().filter((line) => String(line['requestId']).startsWith('gone-'));
      await until(() => gone().length === 8);
      expect(authlete.count()).toBe(2);
      for (const line of gone()) expect(line).toMatchObject({ level: 'info', outcome: 'client_closed', failure: { cause: 'abandoned' } });
      expect(load()).toMatchObject({ admitted: 0, sending: 0, waiting: 0 });
      expect((await update(gateway, 'after')).status).toBe(200);
      expect(authlete.count()).toBe(3);
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});

describe('a client that hangs up right after sending a compressed body', () => {
  let authlete: ScriptedAuthlete;
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    authlete = await startScriptedAuthlete({ kind: 'answer', status: 200, body: '{"action":"CREATED","responseContent":"{}"}' });
    gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url }));
  });
  afterAll(async () => {
    await gateway.stop();
    await authlete.close();
  });

  it.each(['gzip', 'deflate', 'br'] as const)('(%s) takes no place and is not sent to Authlete', async (coding) => {
    const admitted = () => gateway.container.get(TOKENS.CallGuard).load().admitted;
    const compress = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[coding];
    const body = compress(Buffer.from('{"redirect_uris":["https://app.example.com/cb"]}'));
    const requestId = `compressed-hang-up-${coding}`;
    const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1', () => {
      socket.write(
        Buffer.concat([
          Buffer.from(
            `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: ${coding}\r\nX-Request-Id: ${requestId}\r\n` +
              `Content-Length: ${body.length}\r\n\r\n`,
          ),
          body,
        ]),
      );
      socket.destroy();
    });
    socket.on('error', () => undefined);
    await until(() => gateway.log.records().some((line) => line['requestId'] === requestId));
    // The hang-up was seen while the body was decoded; taken then, the place would never have been given back.
    expect(admitted()).toBe(0);
    expect(authlete.count()).toBe(0);
    expect(gateway.log.records().find((line) => line['requestId'] === requestId)).toMatchObject({ outcome: 'client_closed' });
  });
});

describe('clients that hang up while their initial access token waits for introspection (REGISTRATION_ACCESS=token)', () => {
  it('never have it sent, and give their places back at once', async () => {
    const authlete = await startScriptedAuthlete({ kind: 'hold' });
    const gateway = await startGatewayUnderTest(
      testConfig({
        AUTHLETE_BASE_URL: authlete.url,
        AUTHLETE_TIMEOUT_MS: 10_000,
        AUTHLETE_MAX_CONNECTIONS: 1,
        AUTHLETE_MAX_PENDING: 20,
        REGISTRATION_ACCESS: 'token',
      }),
    );
    const load = () => gateway.container.get(TOKENS.CallGuard).load();
    const metadata = '{"redirect_uris":["https://app.example.com/cb"]}';
    const registerAndHangUpLater = (requestId: string): Socket => {
      const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1', () =>
        socket.write(
          `POST /register HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${INITIAL_ACCESS_TOKEN}\r\nContent-Type: application/json\r\n` +
            `X-Request-Id: ${requestId}\r\nContent-Length: ${metadata.length}\r\n\r\n${metadata}`,
        ),
      );
      socket.on('error', () => undefined);
      return socket;
    };
    try {
      const first = registerAndHangUpLater('held');
      await authlete.waitForCalls(1);
      const sockets = Array.from({ length: 5 }, (_, n) => registerAndHangUpLater(`gone-${n}`));
      await until(() => load().waiting === 5);
      for (const socket of sockets) socket.destroy();
      // Given back on the hang-up, and no longer counted as waiting, though their introspections stay queued for the
      // one connection until it frees up.
      await until(() => load().admitted === 1);
      expect(load().waiting).toBe(0);
      first.destroy();
      authlete.release({ status: 500, body: '{}' });

      const gone = () => gateway.log.records().filter((line) => String(line['requestId']).startsWith('gone-'));
      await until(() => gone().length === 5);
      expect(authlete.count()).toBe(1);
      for (const line of gone()) expect(line).toMatchObject({ outcome: 'client_closed', failure: { cause: 'abandoned' } });
      await until(() => load().waiting === 0 && load().admitted === 0);
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});

const COOL_DOWN_MS = 1_500;

describe('the circuit breaker', () => {
  let authlete: ScriptedAuthlete;
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    authlete = await startScriptedAuthlete({ kind: 'answer', status: 503, body: '{}' });
    gateway = await startGatewayUnderTest(
      testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: 600, AUTHLETE_BREAKER_FAILURES: 3, AUTHLETE_BREAKER_COOLDOWN_MS: COOL_DOWN_MS }),
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await authlete.close();
  });

  it('opens after a run of failures, answers 503 without calling Authlete, then lets one trial call through', async () => {
    for (const n of [1, 2, 3]) expect((await update(gateway, `run-${n}`)).status).toBe(503);
    expect(authlete.count()).toBe(3);

    const whileOpen = await update(gateway, 'while-open');
    expectBusy(whileOpen, '2');
    expect(authlete.count()).toBe(3);
    expect(loggedFailure(gateway, 'while-open')).toEqual({ cause: 'circuit_open', retryAfterSeconds: 2 });
    expect(gateway.log.text()).toContain('circuit to Authlete opened');

    // After the cool-down one call goes through; while it is out, others are still answered 503 at once.
    authlete.behave({ kind: 'hold' });
    // The cool-down is a span of time, not an event: waiting it out is the behaviour under test.
    await delay(COOL_DOWN_MS + 100);
    const trial = update(gateway, 'trial');
    await authlete.waitForCalls(4);
    expectBusy(await update(gateway, 'during-trial'), '1');
    authlete.release(updatedAnswer());
    expect((await trial).status).toBe(200);
    expect(authlete.count()).toBe(4);

    // The trial succeeded: the circuit is closed and calls flow again.
    authlete.behave({ kind: 'answer', ...updatedAnswer() });
    expect((await update(gateway, 'after-trial')).status).toBe(200);
    expect(authlete.count()).toBe(5);
  });
});

describe("Authlete's text in the log", () => {
  it("keeps none of the call's secrets when Authlete echoes them back", async () => {
    // What a fake or broken Authlete did: quote the request it got, headers and body, in its resultMessage.
    const echo = (token: string) =>
      JSON.stringify({
        resultCode: 'A001201',
        resultMessage: `cannot handle: POST /api/715948317/client/registration\r\nauthorization: Bearer ${SERVICE_TOKEN}\r\n\r\n{"token":"${token}"}`,
      });
    const authlete = await startScriptedAuthlete({ kind: 'answer', status: 400, body: echo(INITIAL_ACCESS_TOKEN) });
    const gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: 1_000 }));
    try {
      const registered = await send(`${gateway.url}/register`, {
        method: 'POST',
        headers: [
          ['Authorization', `Bearer ${INITIAL_ACCESS_TOKEN}`],
          ['Content-Type', 'application/json'],
          ['X-Request-Id', 'echo-register'],
        ],
        body: '{"redirect_uris":["https://app.example.com/cb"]}',
      });
      authlete.behave({ kind: 'answer', status: 400, body: echo(REGISTRATION_ACCESS_TOKEN) });
      const updated = await update(gateway, 'echo-update');
      expect([registered.status, updated.status]).toEqual([502, 502]);

      const logged = gateway.log.text();
      expect(logged).toContain('cannot handle: POST /api/');
      for (const secret of [SERVICE_TOKEN, INITIAL_ACCESS_TOKEN, REGISTRATION_ACCESS_TOKEN]) expect(logged).not.toContain(secret);
      expect(loggedFailure(gateway, 'echo-update')).toMatchObject({
        cause: 'http_error',
        status: 400,
        resultMessage: expect.stringMatching(/Bearer \[redacted\] .*"token":"\[redacted\]"/),
      });
      // Line breaks from Authlete do not reach the log as line breaks, not even escaped.
      expect(logged).not.toContain('\\r\\n');
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});
