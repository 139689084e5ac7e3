import { TOKENS } from '../../src/composition/tokens';
import { startScriptedAuthlete, type Script } from '../support/scripted-authlete.mts';
import { startGatewayUnderTest, type GatewayUnderTest } from '../support/gateway-under-test';
import { send, type ReceivedResponse } from '../support/http-client';
import { EMBEDDED_MOCK, SERVICE_TOKEN, testConfig } from '../support/test-config';

const JSON_TYPE = ['Content-Type', 'application/json'] as const;
const BODY_WITH_SECRET = '{"client_id":"42","client_secret":"body-Secret-77e7e7"}';

/** Everything the gateway logged, and every error body it sent, must be free of every secret it handled. */
function expectNoSecret(gateway: GatewayUnderTest, errorBodies: readonly string[], secrets: readonly string[]): void {
  const logged = gateway.log.text();
  // The log really was at its most verbose: the authority's answers are traced at debug level.
  expect(gateway.log.records().some((line) => line['level'] === 'debug')).toBe(true);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    expect(logged).not.toContain(secret);
    for (const body of errorBodies) expect(body).not.toContain(secret);
  }
}

function field(response: ReceivedResponse, name: string): string {
  const body: unknown = JSON.parse(response.body);
  const value = typeof body === 'object' && body !== null && name in body ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string') throw new Error(`no ${name} in ${response.body}`);
  return value;
}

describe('secrets never reach a log line or an error body', () => {
  it.each([
    ['v3', EMBEDDED_MOCK],
    ['v2', { ...EMBEDDED_MOCK, AUTHLETE_API_VERSION: 'v2' }],
  ])('through a whole lifecycle on the embedded mock (Authlete API %s), hostile requests included, logging at trace level', async (_version, settings) => {
    const gateway = await startGatewayUnderTest(testConfig(settings));
    const errorBodies: string[] = [];
    const call = async (path: string, method: string, headers: ReadonlyArray<readonly [string, string]>, body?: string) => {
      const response = await send(`${gateway.url}${path}`, { method, headers, ...(body !== undefined && { body }) });
      if (response.status >= 400) errorBodies.push(response.body);
      return response;
    };
    try {
      const initialToken = 'iat-Initial-Access-7Qm2x9';
      const registered = await call('/register', 'POST', [JSON_TYPE, ['Authorization', `Bearer ${initialToken}`]], '{"redirect_uris":["https://client.example.org/cb"]}');
      expect(registered.status).toBe(201);
      const clientId = field(registered, 'client_id');
      const clientSecret = field(registered, 'client_secret');
      const token = field(registered, 'registration_access_token');
      const path = `/register/${clientId}`;
      const bearer = ['Authorization', `Bearer ${token}`] as const;
      const wrongToken = 'wrong-Registration-Token-55aa';
      const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
      const queryToken = 'query-Token-in-the-URL-9f9f';

      expect((await call(path, 'GET', [bearer])).status).toBe(200);
      const update = JSON.stringify({ client_id: clientId, client_secret: clientSecret, redirect_uris: ['https://client.example.org/cb2'] });
      expect((await call(path, 'PUT', [bearer, JSON_TYPE], update)).status).toBe(200);
      expect((await call(path, 'PUT', [['Authorization', `Bearer ${wrongToken}`], JSON_TYPE], update)).status).toBe(401);
      expect((await call(path, 'PUT', [bearer, JSON_TYPE], JSON.stringify({ client_id: clientId, client_secret: 'not-the-Secret-3x3x' }))).status).toBe(400);
      expect((await call(path, 'PUT', [bearer, JSON_TYPE], `{"client_secret":"${clientSecret}",`)).status).toBe(400);
      expect((await call(path, 'GET', [['Authorization', `Basic ${basic}`]])).status).toBe(401);
      expect((await call(path, 'GET', [['Authorization', `Bearer ${token} ${wrongToken}`]])).status).toBe(400);
      expect((await call(`${path}?access_token=${queryToken}`, 'GET', [])).status).toBe(400);
      expect((await call(path, 'DELETE', [bearer])).status).toBe(204);
      expect((await call(path, 'GET', [bearer])).status).toBe(401);

      const settings = gateway.container.get(TOKENS.AuthleteSettings);
      const serviceToken = settings.apiVersion === 'v3' ? settings.serviceAccessToken.reveal() : settings.serviceApiSecret.reveal();
      expectNoSecret(gateway, errorBodies, [initialToken, clientSecret, token, wrongToken, basic, queryToken, serviceToken, 'not-the-Secret-3x3x']);
    } finally {
      await gateway.stop();
    }
  });

  it('through every kind of Authlete failure, logging at trace level', async () => {
    const authlete = await startScriptedAuthlete({ kind: 'hold' });
    const gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_TIMEOUT_MS: 300 }));
    const token = 'rat-During-Faults-8c8c8c';
    const faults: Script[] = [
      { kind: 'hold' },
      { kind: 'answer', status: 401, body: '{"resultCode":"A001101","resultMessage":"The access token is invalid."}' },
      { kind: 'answer', status: 500, body: '{"resultCode":"A001901","resultMessage":"Internal error."}' },
      { kind: 'answer', status: 200, body: 'not json at all' },
      { kind: 'truncated', body: '{"action":"UPD', declaredLength: 300 },
      { kind: 'cut_after_headers' },
      // A proxy or a broken Authlete that quotes the request it refused: the metadata travels inside a JSON string.
      { kind: 'answer', status: 400, body: JSON.stringify({ resultCode: 'A001', resultMessage: `refused ${JSON.stringify({ json: BODY_WITH_SECRET })}` }) },
      { kind: 'answer', status: 400, body: JSON.stringify({ resultCode: 'A001', resultMessage: `refused ${BODY_WITH_SECRET}` }) },
    ];
    const errorBodies: string[] = [];
    try {
      for (const fault of faults) {
        authlete.behave(fault);
        const response = await send(`${gateway.url}/register/42`, {
          method: 'PUT',
          headers: [['Authorization', `Bearer ${token}`], JSON_TYPE],
          body: BODY_WITH_SECRET,
        });
        expect(response.status).toBeGreaterThanOrEqual(502);
        errorBodies.push(response.body);
      }
      expectNoSecret(gateway, errorBodies, [token, SERVICE_TOKEN, 'body-Secret-77e7e7']);
    } finally {
      await gateway.stop();
      await authlete.close();
    }
  });
});
