import { gzipSync } from 'node:zlib';
import { freePort } from '../support/loopback.mts';
import { startScriptedAuthlete, updatedAnswer, type Script, type ScriptedAuthlete } from '../support/scripted-authlete.mts';
import { startGatewayUnderTest, type GatewayUnderTest } from '../support/gateway-under-test';
import { jsonBody, send, type ReceivedResponse } from '../support/http-client';
import { Agent, buildConnector } from 'undici';
import { createAuthleteApiClient } from '../../src/adapters/authlete/authlete-api-client';
import { v3Dialect } from '../../src/adapters/authlete/authlete-v3-dialect';
import { AuthleteRegistrationAuthority } from '../../src/adapters/authlete/authlete-registration-authority';
import { CallGuard } from '../../src/adapters/authlete/call-guard';
import { createLogger } from '../../src/adapters/logging/create-logger';
import { Secret } from '../../src/domain/secret';
import { testAuthleteSettings, testConfig } from '../support/test-config';

// The timeout under test, for an Authlete that never answers; every other fault is met by a gateway whose
// timeout is far out of reach, so a loaded machine cannot turn a bad answer into a timeout.
const TIMEOUT_MS = 400;
const OUT_OF_REACH_MS = 60_000;
// Generous: the point is that nothing waits for a timeout it should not, not how fast a fault is reported (the
// benchmark measures speed); this holds on a loaded 2-core machine and still lies far below OUT_OF_REACH_MS.
const MARGIN_MS = 8_000;
const ANSWERING = { kind: 'answer', ...updatedAnswer() } as const;

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

const ANSWERED_BADLY: ReadonlyArray<readonly [string, Script, number, Record<string, unknown>]> = [
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
  [
    'answering in gzip when asked for identity',
    { kind: 'answer', status: 200, body: gzipSync(updatedAnswer().body), headers: { 'Content-Encoding': 'gzip' } },
    502,
    { cause: 'malformed_answer', reason: 'the answer is content-encoded, though identity was asked for' },
  ],
];

function expectServerError(response: ReceivedResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  expect(jsonBody(response)).toEqual({ error: 'server_error', error_description: expect.any(String) });
  expect(response.body).not.toMatch(/resultCode|A00\d|failed with|maintenance|CREATED/);
}

/** The request, timed from sending to the whole answer. */
async function timed(sending: Promise<ReceivedResponse>): Promise<{ response: ReceivedResponse; elapsedMs: number }> {
  const started = performance.now();
  const response = await sending;
  return { response, elapsedMs: performance.now() - started };
}

describe('when Authlete fails, the client gets a prompt JSON 5xx and the gateway recovers', () => {
  let authlete: ScriptedAuthlete;
  let patient: GatewayUnderTest;
  let impatient: GatewayUnderTest;

  beforeAll(async () => {
    authlete = await startScriptedAuthlete(ANSWERING);
    patient = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: OUT_OF_REACH_MS }));
    impatient = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: TIMEOUT_MS }));
  });
  afterAll(async () => {
    await patient.stop();
    await impatient.stop();
    await authlete.close();
  });
  afterEach(() => authlete.release(updatedAnswer()));

  it.each(ANSWERED_BADLY)('Authlete %s', async (name, script, status, failure) => {
    authlete.behave(script);
    const requestId = `fault-${name.replaceAll(' ', '-')}`;

    const { response, elapsedMs } = await timed(put(patient, requestId));

    expectServerError(response, status);
    expect(elapsedMs).toBeLessThan(MARGIN_MS);
    expect(loggedFailure(patient, requestId)).toMatchObject(failure);

    authlete.behave(ANSWERING);
    expect((await put(patient, `${requestId}-then`)).status).toBe(200);
  });

  it('answers 504 once the timeout has passed when Authlete never answers, and ignores the answer that comes late', async () => {
    authlete.behave({ kind: 'hold' });

    const { response, elapsedMs } = await timed(put(impatient, 'fault-silent'));

    expectServerError(response, 504);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.9);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(loggedFailure(impatient, 'fault-silent')).toMatchObject({ cause: 'timeout', timeoutMs: TIMEOUT_MS });

    authlete.release(updatedAnswer());
    authlete.behave(ANSWERING);
    expect((await put(impatient, 'fault-silent-then')).status).toBe(200);
  });
});

describe('when nothing listens where Authlete should be', () => {
  it('answers 502 at once and names the refusal in the log', async () => {
    const port = await freePort();
    const gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: `http://127.0.0.1:${port}`, AUTHLETE_TIMEOUT_MS: OUT_OF_REACH_MS }));
    try {
      const { response, elapsedMs } = await timed(put(gateway, 'refused'));
      expectServerError(response, 502);
      expect(elapsedMs).toBeLessThan(MARGIN_MS);
      expect(loggedFailure(gateway, 'refused')).toEqual({ cause: 'unreachable', code: 'ECONNREFUSED' });
    } finally {
      await gateway.stop();
    }
  });
});

describe('retrying', () => {
  it('tries once more when the connection was refused and nothing was sent', async () => {
    const authlete = await startScriptedAuthlete(ANSWERING);
    const settings = testAuthleteSettings({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: OUT_OF_REACH_MS });
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
      const dialect = v3Dialect(createAuthleteApiClient(settings, dispatcher), settings.serviceId, settings.serviceAccessToken);
      const authority = new AuthleteRegistrationAuthority(dialect, settings.timeoutMs, new CallGuard(settings, createLogger('silent')));
      const answer = await authority.ask({
        operation: 'update',
        clientId: '42',
        registrationAccessToken: new Secret('rat-42'),
        metadataJson: '{"client_id":"42"}',
      });
      expect(answer).toMatchObject({ kind: 'decision', action: 'UPDATED' });
      expect(attempts).toBe(2);
      expect(authlete.count()).toBe(1);
    } finally {
      await dispatcher.close();
      await authlete.close();
    }
  });

  it('never repeats a registration that may have reached Authlete', async () => {
    const authlete = await startScriptedAuthlete({ kind: 'cut_after_headers' });
    const gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: OUT_OF_REACH_MS }));
    try {
      const response = await send(`${gateway.url}/register`, {
        method: 'POST',
        headers: [['Content-Type', 'application/json']],
        body: '{"redirect_uris":["https://client.example.org/cb"]}',
      });
      expect(response.status).toBe(502);
      expect(authlete.count()).toBe(1);
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});
