import { freePort } from '../support/free-port';
import { startFaultyAuthlete, updatedAnswer, type Fault, type FaultyAuthlete } from '../support/fault-authlete';
import { startGatewayUnderTest, type GatewayUnderTest } from '../support/gateway-under-test';
import { jsonBody, send } from '../support/http-client';
import { Agent, buildConnector } from 'undici';
import { createAuthleteApiClient } from '../../src/adapters/authlete/authlete-api-client';
import { AuthleteRegistrationAuthority } from '../../src/adapters/authlete/authlete-registration-authority';
import { Secret } from '../../src/domain/secret';
import { testAuthleteSettings, testConfig } from '../support/test-config';

const TIMEOUT_MS = 400;
// Generous: the point is that nothing hangs, not how fast a fault is reported (the benchmark measures speed).
const MARGIN_MS = 1_500;

const put = (gateway: GatewayUnderTest, requestId: string) =>
  send(`${gateway.url}/register/42`, {
    method: 'PUT',
    headers: [
      ['Authorization', 'Bearer rat-42'],
      ['Content-Type', 'application/json'],
      ['X-Request-Id', requestId],
    ],
    body: '{"client_id":"42"}',
  });

function loggedFailure(gateway: GatewayUnderTest, requestId: string): unknown {
  return gateway.log.records().find((line) => line['requestId'] === requestId)?.['failure'];
}

const ANSWERED_BADLY: ReadonlyArray<readonly [string, Fault, number, Record<string, unknown>]> = [
  ['never answering', { kind: 'silent' }, 504, { cause: 'timeout', timeoutMs: TIMEOUT_MS }],
  ['answering after the timeout', { kind: 'slow', afterMs: TIMEOUT_MS * 3, status: 200, body: updatedAnswer() }, 504, { cause: 'timeout' }],
  ...([400, 401, 403, 500] as const).map(
    (status) =>
      [
        `answering HTTP ${status} with a result code`,
        { kind: 'answer', status, body: JSON.stringify({ resultCode: `A00${status}`, resultMessage: `failed with ${status}` }) },
        502,
        { cause: 'http_error', status, resultCode: `A00${status}`, resultMessage: `failed with ${status}` },
      ] as const,
  ),
  ['answering 200 with HTML', { kind: 'answer', status: 200, body: '<html>maintenance</html>', contentType: 'text/html' }, 502, { cause: 'malformed_answer' }],
  ['answering 200 with truncated JSON', { kind: 'truncated', body: '{"action":"UPDATED","respo', declaredLength: 400 }, 502, { cause: 'connection_lost' }],
  ['answering 200 with JSON that has no action', { kind: 'answer', status: 200, body: '{"resultCode":"A213001"}' }, 502, { cause: 'malformed_answer' }],
  [
    'answering an action update cannot return',
    { kind: 'answer', status: 200, body: JSON.stringify({ resultCode: 'A202001', resultMessage: 'x', action: 'CREATED', responseContent: '{}' }) },
    502,
    { cause: 'unexpected_action', action: 'CREATED' },
  ],
  ['closing the connection mid-answer', { kind: 'cut_after_headers' }, 502, { cause: 'connection_lost' }],
];

describe('when Authlete fails, the client gets a prompt JSON 5xx and the gateway recovers', () => {
  let authlete: FaultyAuthlete;
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    authlete = await startFaultyAuthlete({ kind: 'answer', status: 200, body: updatedAnswer() });
    gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: TIMEOUT_MS }));
  });
  afterAll(async () => {
    await gateway.stop();
    await authlete.close();
  });

  it.each(ANSWERED_BADLY)('Authlete %s', async (name, fault, status, failure) => {
    authlete.behave(fault);
    const requestId = `fault-${name.replaceAll(' ', '-')}`;

    const started = performance.now();
    const response = await put(gateway, requestId);
    const elapsed = performance.now() - started;

    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/json');
    expect(jsonBody(response)).toEqual({ error: 'server_error', error_description: expect.any(String) });
    expect(response.body).not.toMatch(/resultCode|A00\d|failed with|maintenance|CREATED/);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(loggedFailure(gateway, requestId)).toMatchObject(failure);

    authlete.behave({ kind: 'answer', status: 200, body: updatedAnswer() });
    const next = await put(gateway, `${requestId}-then`);
    expect(next.status).toBe(200);
  });
});

describe('when nothing listens where Authlete should be', () => {
  it('answers 502 at once, names the refusal in the log, and works once Authlete is back', async () => {
    const port = await freePort();
    const gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: `http://127.0.0.1:${port}`, AUTHLETE_TIMEOUT_MS: TIMEOUT_MS }));
    try {
      const started = performance.now();
      const response = await put(gateway, 'refused');
      expect(response.status).toBe(502);
      expect(jsonBody(response)).toMatchObject({ error: 'server_error' });
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
      expect(loggedFailure(gateway, 'refused')).toEqual({ cause: 'unreachable', code: 'ECONNREFUSED' });
    } finally {
      await gateway.stop();
    }
  });
});

describe('retrying', () => {
  it('tries once more, within the same deadline, when the connection was refused and nothing was sent', async () => {
    const authlete = await startFaultyAuthlete({ kind: 'answer', status: 200, body: updatedAnswer() });
    const settings = testAuthleteSettings({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: TIMEOUT_MS });
    const connect = buildConnector({});
    let attempts = 0;
    const dispatcher = new Agent({
      connect: (options, callback) => {
        attempts += 1;
        if (attempts === 1) callback(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), null);
        else connect(options, callback);
      },
    });
    try {
      const authority = new AuthleteRegistrationAuthority(createAuthleteApiClient(settings, dispatcher), settings);
      const answer = await authority.ask({
        operation: 'update',
        clientId: '42',
        registrationAccessToken: new Secret('rat-42'),
        metadataJson: '{"client_id":"42"}',
      });
      expect(answer).toMatchObject({ kind: 'decision', action: 'UPDATED' });
      expect(attempts).toBe(2);
      expect(authlete.requests()).toBe(1);
    } finally {
      await dispatcher.close();
      await authlete.close();
    }
  });

  it('never repeats a registration that may have reached Authlete', async () => {
    const authlete = await startFaultyAuthlete({ kind: 'cut_after_headers' });
    const gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: TIMEOUT_MS }));
    try {
      const response = await send(`${gateway.url}/register`, {
        method: 'POST',
        headers: [['Content-Type', 'application/json']],
        body: '{"redirect_uris":["https://client.example.org/cb"]}',
      });
      expect(response.status).toBe(502);
      expect(authlete.requests()).toBe(1);
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});
