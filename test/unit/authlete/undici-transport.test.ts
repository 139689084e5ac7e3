import type { Agent } from 'undici';
import { createAuthleteApiClient, createAuthleteDispatcher } from '../../../src/adapters/authlete/authlete-api-client';
import { BufferedResponse } from '../../../src/adapters/authlete/transport/buffered-response';
import { LightRequest } from '../../../src/adapters/authlete/transport/light-request';
import { createUndiciFetch } from '../../../src/adapters/authlete/transport/undici-fetch';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { SERVICE_TOKEN, testAuthleteSettings } from '../../support/test-config';

describe('the undici transport under openapi-fetch', () => {
  let echo: EchoServer;
  let dispatcher: Agent;

  beforeAll(async () => {
    echo = await startEchoServer();
  });
  afterAll(() => echo.close());
  beforeEach(() => {
    echo.seen.length = 0;
    dispatcher = createAuthleteDispatcher(testAuthleteSettings({ AUTHLETE_BASE_URL: echo.url }));
  });
  afterEach(() => dispatcher.close());

  const client = () => createAuthleteApiClient(testAuthleteSettings({ AUTHLETE_BASE_URL: echo.url }), dispatcher);
  const update = (c = client()) =>
    c.POST('/api/{serviceId}/client/registration/update', {
      params: { path: { serviceId: 'svc 1' } },
      body: { clientId: '42', token: 'rat', json: '{"client_id":"42"}' },
    });

  it('sends the JSON body, the service token and the path openapi-fetch built', async () => {
    const { data, response } = await update();

    expect(response.status).toBe(200);
    expect(echo.seen).toHaveLength(1);
    const [seen] = echo.seen;
    expect(seen?.method).toBe('POST');
    expect(seen?.path).toBe('/api/svc%201/client/registration/update');
    expect(seen?.headers['authorization']).toBe(`Bearer ${SERVICE_TOKEN}`);
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen?.body ?? '')).toEqual({ clientId: '42', token: 'rat', json: '{"client_id":"42"}' });
    expect(data).toMatchObject({ method: 'POST' });
  });

  it('keeps connections alive and reuses them for later calls', async () => {
    const c = client();
    for (let call = 0; call < 6; call++) await update(c);
    // A socket is back in the pool a moment after its answer is read, so a call made at once may open a second.
    expect(new Set(echo.seen.map((seen) => seen.connection)).size).toBeLessThanOrEqual(2);
  });

  it('exposes the answer headers through the Headers interface', async () => {
    const { response } = await update();
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('x-echo')).toBe('a, b');
    expect(response.headers.has('X-ECHO')).toBe(true);
    expect([...response.headers.keys()]).toEqual(expect.arrayContaining(['content-type', 'x-echo']));
  });

  it('lets a middleware change the request headers', async () => {
    const c = client();
    c.use({ onRequest: ({ request }) => void request.headers.set('Prefer', 'example=updated') });
    await update(c);
    expect(echo.seen[0]?.headers['prefer']).toBe('example=updated');
  });

  it('also sends a standard Request, reading its body first', async () => {
    // An origin other than the one called: the URL is then parsed rather than split by prefix.
    const fetch = createUndiciFetch(dispatcher, { origin: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    const response = await fetch(new Request(`${echo.url}/plain`, { method: 'PUT', body: 'streamed body' }));
    expect(response.status).toBe(200);
    expect(echo.seen[0]).toMatchObject({ method: 'PUT', path: '/plain', body: 'streamed body' });
  });
});

describe('LightRequest and BufferedResponse keep the body rules of the standard classes', () => {
  it('reads a body once, and a clone again', async () => {
    const response = new BufferedResponse('{"a":1}', { status: 200, headers: { 'content-type': 'application/json' }, url: 'http://x' });
    const copy = response.clone();
    expect(await response.json()).toEqual({ a: 1 });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(await copy.text()).toBe('{"a":1}');
  });

  it('hands the rarely used readers to the standard implementation', async () => {
    const request = new LightRequest('http://x/y', { method: 'post', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(request.method).toBe('POST');
    expect(new TextDecoder().decode(await request.clone().arrayBuffer())).toBe('hello');
    expect(await (await request.clone().blob()).text()).toBe('hello');
    expect(await request.text()).toBe('hello');
  });

  it('refuses a body it cannot hold in memory', () => {
    expect(() => new LightRequest('http://x', { method: 'POST', body: new ReadableStream() })).toThrow(TypeError);
  });
});
