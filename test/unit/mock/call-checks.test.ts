import { request } from 'node:http';
import { z } from 'zod';
import { startStatefulMock, type RunningStatefulMock } from '../../../mock/stateful/stateful-mock';
import { endpoint, post, registerWithMock, SERVICE_ID, SERVICE_TOKEN, WEB_CLIENT, type Endpoint, type Reply } from './mock-calls';

function expectCallFailure(reply: Reply, status: number): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/json');
  expect(reply.json).toEqual({ resultCode: expect.stringMatching(/^M\d{6}$/), resultMessage: expect.any(String) });
}

const WELL_FORMED: Readonly<Record<Endpoint, Record<string, string>>> = {
  registration: { json: '{"redirect_uris":["https://client.example.org/cb"]}' },
  'registration/get': { clientId: '1', token: 't' },
  'registration/update': { clientId: '1', token: 't', json: '{"client_id":"1"}' },
  'registration/delete': { clientId: '1', token: 't' },
};
const ENDPOINTS: readonly Endpoint[] = ['registration', 'registration/get', 'registration/update', 'registration/delete'];

describe('stateful mock: checks on the call itself', () => {
  let mock: RunningStatefulMock;

  beforeAll(async () => {
    mock = await startStatefulMock({ managementBaseUrl: 'https://as.example.com/register', serviceAccessToken: SERVICE_TOKEN, serviceId: SERVICE_ID });
  });
  afterAll(() => mock.close());

  const call = (which: Endpoint, body: unknown, headers: Record<string, string> = {}) => post(mock.url, endpoint(which), JSON.stringify(body), headers);

  it.each(ENDPOINTS)('%s answers a well-formed call with a decision', async (which) => {
    const reply = await call(which, WELL_FORMED[which]);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.json).toMatchObject({ resultCode: expect.any(String), resultMessage: expect.any(String), action: expect.any(String) });
  });

  it.each([
    ['no Authorization header', { Authorization: '' }],
    ['a wrong token', { Authorization: 'Bearer another-token' }],
    ['another scheme', { Authorization: `Basic ${SERVICE_TOKEN}` }],
    ['a longer token', { Authorization: `Bearer ${SERVICE_TOKEN}x` }],
  ])('answers HTTP 401 to a call with %s, and registers nothing', async (_what, headers) => {
    const before = mock.clientCount();
    expectCallFailure(await call('registration', WELL_FORMED.registration, headers), 401);
    expect(mock.clientCount()).toBe(before);
  });

  it('reads the Bearer scheme whatever its case', async () => {
    expect((await call('registration', WELL_FORMED.registration, { Authorization: `bearer ${SERVICE_TOKEN}` })).status).toBe(200);
  });

  it.each(ENDPOINTS)('%s answers HTTP 403 to a call for another service', async (which) => {
    expectCallFailure(await post(mock.url, endpoint(which, 'other-service'), JSON.stringify(WELL_FORMED[which])), 403);
  });

  it.each([
    ['registration', {}],
    ['registration', { json: '' }],
    ['registration', { json: {} }],
    ['registration', { json: '{}', token: '' }],
    ['registration', { json: '{}', clientId: '1' }],
    ['registration/get', { clientId: '1' }],
    ['registration/get', { token: 't' }],
    ['registration/get', { clientId: 1, token: 't' }],
    ['registration/get', { clientId: '1', token: 't', json: '{}' }],
    ['registration/update', { clientId: '1', token: 't' }],
    ['registration/update', { clientId: '', token: 't', json: '{}' }],
    ['registration/delete', { token: 't' }],
    ['registration/delete', { clientId: '1', token: null }],
  ] as const)('%s answers HTTP 400 to the body %j', async (which, body) => {
    expectCallFailure(await call(which, body), 400);
  });

  it.each([
    ['not JSON', '{"json":'],
    ['an array', '[]'],
    ['empty', ''],
  ])('answers HTTP 400 to a body that is %s', async (_what, body) => {
    expectCallFailure(await post(mock.url, endpoint('registration'), body), 400);
  });

  it('names the fields that break the contract, never their values', async () => {
    const reply = await call('registration/get', { clientId: '1', token: 'secret-token-value', extra: 'secret-extra-value' });
    expectCallFailure(reply, 400);
    expect(reply.text).toContain('extra');
    expect(reply.text).not.toContain('secret-token-value');
    expect(reply.text).not.toContain('secret-extra-value');
  });

  it('answers HTTP 400 to a body over 1 MiB, declared or not', async () => {
    const big = JSON.stringify({ json: JSON.stringify({ client_name: 'x'.repeat(1024 * 1024) }) });
    expectCallFailure(await post(mock.url, endpoint('registration'), big), 400);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const response = await fetch(`${mock.url}${endpoint('registration')}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${SERVICE_TOKEN}` },
      body: streamed,
      duplex: 'half',
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ resultCode: 'M001203' });
  });

  it.each(['/', '/api', `/api/${SERVICE_ID}/client`, `/api/${SERVICE_ID}/client/registration/`, `/api/${SERVICE_ID}/client/registration/list`, '/api//client/registration', `/api/${SERVICE_ID}/client/registration/get/x`])(
    'answers HTTP 404 to %s',
    async (path) => {
      expectCallFailure(await post(mock.url, path, JSON.stringify(WELL_FORMED.registration)), 404);
    },
  );

  it('ignores a query string, as a path router does', async () => {
    expect((await post(mock.url, `${endpoint('registration')}?x=1`, JSON.stringify(WELL_FORMED.registration))).status).toBe(200);
  });

  it.each(['GET', 'PUT', 'DELETE'])('answers HTTP 405 with Allow: POST to %s', async (method) => {
    const response = await fetch(`${mock.url}${endpoint('registration/get')}`, { method, signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({ resultCode: 'M001405', resultMessage: expect.any(String) });
  });

  it('writes nothing to stdout or stderr, so no token or secret can land in a log', async () => {
    const out = jest.spyOn(process.stdout, 'write');
    const err = jest.spyOn(process.stderr, 'write');
    const logs = jest.spyOn(console, 'log');
    try {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      await call('registration/get', { clientId: client.clientId, token: client.token });
      await call('registration/get', { clientId: client.clientId, token: 'wrong' });
      await call('registration/delete', { clientId: client.clientId, token: client.token });
      await call('registration', { json: 1 });
      expect(out).not.toHaveBeenCalled();
      expect(err).not.toHaveBeenCalled();
      expect(logs).not.toHaveBeenCalled();
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describe('stateful mock without service settings', () => {
  it('takes any service ID and calls without a service token', async () => {
    const mock = await startStatefulMock({ managementBaseUrl: 'https://as.example.com/register' });
    try {
      const reply = await post(mock.url, endpoint('registration', 'any-service'), JSON.stringify(WELL_FORMED.registration), { Authorization: '' });
      expect(reply.status).toBe(200);
    } finally {
      await mock.close();
    }
  });

  it('closes even while a caller holds a keep-alive connection open', async () => {
    const mock = await startStatefulMock({ managementBaseUrl: 'https://as.example.com/register' });
    // `100 Continue` tells that the mock has the request and is now reading a body that will never be complete.
    const caller = request(`${mock.url}${endpoint('registration')}`, {
      method: 'POST',
      headers: { Connection: 'keep-alive', 'Content-Length': '100', Expect: '100-continue' },
    });
    caller.on('error', () => undefined);
    await new Promise<void>((resolve) => caller.once('continue', () => caller.write('{"json":', () => resolve())));
    const started = performance.now();
    await mock.close();
    // Far below the mock's 10 s body deadline, which closing would wait for if it left the connection open.
    expect(performance.now() - started).toBeLessThan(5_000);
    caller.destroy();
  }, 15_000);

  it('can be closed twice', async () => {
    const mock = await startStatefulMock({ managementBaseUrl: 'https://as.example.com/register' });
    await Promise.all([mock.close(), mock.close()]);
    await expect(mock.close()).resolves.toBeUndefined();
  });
});

describe('stateful mock: API v2 calls (no service ID in the path, HTTP Basic credentials)', () => {
  const KEY = 'api-key-1';
  const SECRET = 'api-secret-1';
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let mock: RunningStatefulMock;

  beforeAll(async () => {
    mock = await startStatefulMock({ managementBaseUrl: 'https://as.example.com/register', serviceAccessToken: SERVICE_TOKEN, serviceApiKey: KEY, serviceApiSecret: SECRET });
  });
  afterAll(() => mock.close());

  const v2 = (which: Endpoint, authorization: string) => post(mock.url, `/api/client/${which}`, JSON.stringify(WELL_FORMED[which]), { Authorization: authorization });

  it.each(ENDPOINTS)('%s answers a call with the API key and secret with a decision', async (which) => {
    const reply = await v2(which, basic(KEY, SECRET));
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ action: expect.any(String) });
  });

  it.each([
    ['no credentials', ''],
    ['the v3 service token', `Bearer ${SERVICE_TOKEN}`],
    ['a wrong secret', basic(KEY, 'wrong')],
    ['a wrong key', basic('wrong', SECRET)],
    ['no colon', `Basic ${Buffer.from(KEY + SECRET).toString('base64')}`],
  ])('answers HTTP 401 to a v2 call with %s, and registers nothing', async (_what, authorization) => {
    const before = mock.clientCount();
    expectCallFailure(await v2('registration', authorization), 401);
    expect(mock.clientCount()).toBe(before);
  });

  it('keeps one store for both versions: a client registered through v2 is read through v3', async () => {
    const created = await v2('registration', basic(KEY, SECRET));
    const { responseContent } = z.object({ responseContent: z.string() }).parse(created.json);
    const info = z.object({ client_id: z.string(), registration_access_token: z.string() }).parse(JSON.parse(responseContent));
    const read = await post(mock.url, endpoint('registration/get'), JSON.stringify({ clientId: info.client_id, token: info.registration_access_token }));
    expect(read.json).toMatchObject({ action: 'OK' });
  });
});
