import { startGatewayBehindContract, type GatewayBehindContract } from '../support/gateway-contract';
import { startGatewayProcess } from '../support/gateway-process.mts';
import { jsonBody, send } from '../support/http-client';
import { prismUrl } from '../support/prism-url';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';

describe('the built gateway, as a process, updating a client against the Prism mock, held to openapi/dcr-gateway.yaml', () => {
  let proxy: RecordingProxy;
  let gateway: GatewayBehindContract;

  beforeAll(async () => {
    proxy = await startRecordingProxy(prismUrl());
    gateway = await startGatewayBehindContract({
      AUTHLETE_BASE_URL: proxy.url,
      AUTHLETE_SERVICE_ID: '715948317',
      AUTHLETE_SERVICE_ACCESS_TOKEN: 'e2e-service-token',
    });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
  });
  beforeEach(() => {
    proxy.calls.length = 0;
  });
  afterEach(() => {
    expect(gateway.violations()).toEqual([]);
  });

  it('answers a PUT with a token 200, the example client and the no-store headers', async () => {
    const response = await send(`${gateway.url}/register/5899463614448063`, {
      method: 'PUT',
      headers: [
        ['Authorization', 'Bearer x'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"client_id":"5899463614448063"}',
    });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
    expect(jsonBody(response)).toMatchObject({
      client_id: '5899463614448063',
      registration_client_uri: 'https://as.example.com/register/5899463614448063',
      registration_access_token: expect.any(String),
    });
    expect(proxy.calls.map((call) => call.path)).toEqual(['/api/715948317/client/registration/update']);
  });

  it('answers a PUT without a token 401 with a Bearer challenge, and the mock never hears of it', async () => {
    const response = await send(`${gateway.url}/register/5899463614448063`, {
      method: 'PUT',
      headers: [['Content-Type', 'application/json']],
      body: '{"client_id":"5899463614448063"}',
    });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers['content-type']).toBe('application/json');
    expect(jsonBody(response)).toMatchObject({ error: 'invalid_token' });
    expect(proxy.calls).toHaveLength(0);
  });

  it('logs each request as one JSON line without the tokens it carried', async () => {
    await send(`${gateway.url}/register/5899463614448063`, {
      method: 'PUT',
      headers: [
        ['Authorization', 'Bearer e2e-registration-token'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"client_id":"5899463614448063"}',
    });
    await gateway.waitForOutput(/"operation":"update"/);
    const lines = gateway.output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(gateway.output()).not.toContain('e2e-registration-token');
    expect(gateway.output()).not.toContain('e2e-service-token');
  });

  it('exits 0 on SIGTERM', async () => {
    const separate = await startGatewayProcess({
      AUTHLETE_BASE_URL: proxy.url,
      AUTHLETE_SERVICE_ID: '715948317',
      AUTHLETE_SERVICE_ACCESS_TOKEN: 'e2e-service-token',
    });
    expect(await separate.stop()).toBe(0);
  });
});
