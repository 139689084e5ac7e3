import { setTimeout as delay } from 'node:timers/promises';
import { startFaultyAuthlete, updatedAnswer, type FaultyAuthlete } from '../support/fault-authlete';
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
  let authlete: FaultyAuthlete;
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    authlete = await startFaultyAuthlete({ kind: 'answer', status: 429, body: '{}', headers: { 'Retry-After': '7' } });
    gateway = await startGatewayUnderTest(testConfig({ authleteBaseUrl: authlete.url, timeoutMs: 1_000 }));
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
  ])('%s becomes 503 temporarily_unavailable with a clamped Retry-After, asked once', async (status, headers, retryAfter) => {
    authlete.behave({ kind: 'answer', status, body: '<html>busy</html>', contentType: 'text/html', headers });
    const before = authlete.requests();
    const response = await update(gateway, `busy-${status}`);
    expect(response.status).toBe(503);
    expect(jsonBody(response)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(response.headers['retry-after']).toEqual(retryAfter);
    expect(authlete.requests() - before).toBe(1);
    expect(loggedFailure(gateway, `busy-${status}`)).toMatchObject({ cause: 'rate_limited', status });
  });
});

describe('a stalled Authlete: calls wait for one of the pool connections and are dropped unsent once late', () => {
  it('opens no connection for a call whose deadline passed while it waited', async () => {
    const authlete = await startFaultyAuthlete({ kind: 'silent' });
    const gateway = await startGatewayUnderTest(
      testConfig({ authleteBaseUrl: authlete.url, timeoutMs: 400, authleteMaxConnections: 2, maxPending: 20 }),
    );
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => update(gateway, `stalled-${n}`)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(504));
      // All twelve started waiting at once, so all were late when the first two timed out: only those two went out.
      expect(authlete.connections()).toBe(2);
      expect(authlete.requests()).toBe(2);
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});

const COOL_DOWN_MS = 1_500;

describe('the circuit breaker', () => {
  let authlete: FaultyAuthlete;
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    authlete = await startFaultyAuthlete({ kind: 'answer', status: 503, body: '{}' });
    gateway = await startGatewayUnderTest(
      testConfig({ authleteBaseUrl: authlete.url, timeoutMs: 600, breakerFailures: 3, breakerCooldownMs: COOL_DOWN_MS }),
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await authlete.close();
  });

  it('opens after a run of failures, answers 503 without calling Authlete, then lets one trial call through', async () => {
    for (const n of [1, 2, 3]) expect((await update(gateway, `run-${n}`)).status).toBe(503);
    expect(authlete.requests()).toBe(3);

    const whileOpen = await update(gateway, 'while-open');
    expectBusy(whileOpen, '2');
    expect(authlete.requests()).toBe(3);
    expect(loggedFailure(gateway, 'while-open')).toEqual({ cause: 'circuit_open', retryAfterSeconds: 2 });
    expect(gateway.log.text()).toContain('circuit to Authlete opened');

    // After the cool-down one call goes through; while it is out, others are still answered 503 at once.
    authlete.behave({ kind: 'slow', afterMs: 300, status: 200, body: updatedAnswer() });
    // The cool-down is a span of time, not an event: waiting it out is the behaviour under test.
    await delay(COOL_DOWN_MS + 100);
    const trial = update(gateway, 'trial');
    const duringTrial = await (async () => {
      while (authlete.requests() < 4) await new Promise((next) => setImmediate(next));
      return update(gateway, 'during-trial');
    })();
    expect((await trial).status).toBe(200);
    expectBusy(duringTrial, '1');
    expect(authlete.requests()).toBe(4);

    // The trial succeeded: the circuit is closed and calls flow again.
    expect((await update(gateway, 'after-trial')).status).toBe(200);
    expect(authlete.requests()).toBe(5);
  });
});

describe("Authlete's text in the log", () => {
  it("keeps none of the call's secrets when Authlete echoes the whole request back", async () => {
    const authlete = await startFaultyAuthlete({ kind: 'echo' });
    const gateway = await startGatewayUnderTest(testConfig({ authleteBaseUrl: authlete.url, timeoutMs: 1_000 }));
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
      const updated = await update(gateway, 'echo-update');
      expect([registered.status, updated.status]).toEqual([502, 502]);

      const logged = gateway.log.text();
      expect(logged).toContain('cannot handle: POST /api/');
      for (const secret of [SERVICE_TOKEN, INITIAL_ACCESS_TOKEN, REGISTRATION_ACCESS_TOKEN]) expect(logged).not.toContain(secret);
      const failure = loggedFailure(gateway, 'echo-update');
      expect(failure).toMatchObject({ cause: 'http_error', status: 400, resultMessage: expect.stringContaining('[redacted]') });
      const message = typeof failure === 'object' && failure !== null && 'resultMessage' in failure ? String(failure.resultMessage) : '';
      expect(message.length).toBeLessThanOrEqual(201);
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});
