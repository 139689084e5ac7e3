import type { Dispatcher } from 'undici';
import { createAuthleteApiClient } from '../../../src/adapters/authlete/authlete-api-client';
import { createAuthleteDispatcher } from '../../../src/adapters/authlete/authlete-dispatcher';
import { BufferedResponse } from '../../../src/adapters/authlete/transport/buffered-response';
import { LightRequest } from '../../../src/adapters/authlete/transport/light-request';
import { createUndiciFetch } from '../../../src/adapters/authlete/transport/undici-fetch';
import { startScriptedAuthlete, type ScriptedAuthlete } from '../../support/scripted-authlete.mts';
import { SERVICE_TOKEN, testAuthleteSettings } from '../../support/test-config';

// A header sent twice, to see how the Headers interface joins it.
const ANSWER = { status: 200, body: '{"action":"UPDATED"}', headers: { 'X-Twice': ['a', 'b'] } } as const;

describe('the undici transport under openapi-fetch', () => {
  let authlete: ScriptedAuthlete;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    authlete = await startScriptedAuthlete({ kind: 'answer', ...ANSWER });
  });
  afterAll(() => authlete.close());
  beforeEach(() => {
    authlete.calls.length = 0;
    dispatcher = createAuthleteDispatcher(testAuthleteSettings({ AUTHLETE_BASE_URL: authlete.url }));
  });
  afterEach(() => dispatcher.close());

  const client = () => createAuthleteApiClient(testAuthleteSettings({ AUTHLETE_BASE_URL: authlete.url }), dispatcher);
  const update = (c = client()) =>
    c.POST('/api/{serviceId}/client/registration/update', {
      params: { path: { serviceId: 'svc 1' } },
      body: { clientId: '42', token: 'rat', json: '{"client_id":"42"}' },
    });

  it('sends the JSON body, the service token and the path openapi-fetch built', async () => {
    const { data, response } = await update();

    expect(response.status).toBe(200);
    expect(authlete.calls).toHaveLength(1);
    const [seen] = authlete.calls;
    expect(seen?.method).toBe('POST');
    expect(seen?.path).toBe('/api/svc%201/client/registration/update');
    expect(seen?.headers['authorization']).toBe(`Bearer ${SERVICE_TOKEN}`);
    expect(seen?.headers['content-type']).toBe('application/json');
    // Asked for: the transport decodes no content coding.
    expect(seen?.headers['accept-encoding']).toBe('identity');
    expect(JSON.parse(seen?.body ?? '')).toEqual({ clientId: '42', token: 'rat', json: '{"client_id":"42"}' });
    expect(data).toEqual({ action: 'UPDATED' });
  });

  it('keeps connections alive and reuses them for later calls', async () => {
    const c = client();
    for (let call = 0; call < 6; call++) await update(c);
    // A socket is back in the pool a moment after its answer is read, so a call made at once may open a second.
    expect(new Set(authlete.calls.map((seen) => seen.connection)).size).toBeLessThanOrEqual(2);
  });

  it('exposes the answer headers through the Headers interface', async () => {
    const { response } = await update();
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('x-twice')).toBe('a, b');
    expect(response.headers.has('X-TWICE')).toBe(true);
    expect([...response.headers.keys()]).toEqual(expect.arrayContaining(['content-type', 'x-twice']));
  });

  it('lets a middleware change the request headers', async () => {
    const c = client();
    c.use({ onRequest: ({ request }) => void request.headers.set('Prefer', 'example=updated') });
    await update(c);
    expect(authlete.calls[0]?.headers['prefer']).toBe('example=updated');
  });

  it('also sends a standard Request, reading its body first', async () => {
    // An origin other than the one called: the URL is then parsed rather than split by prefix.
    const fetch = createUndiciFetch(dispatcher, { origin: 'http://127.0.0.1:9', timeoutMs: 2_000, authorization: 'Bearer for-127.0.0.1:9' });
    const response = await fetch(new Request(`${authlete.url}/plain`, { method: 'PUT', body: 'streamed body' }));
    expect(response.status).toBe(200);
    expect(authlete.calls[0]).toMatchObject({ method: 'PUT', path: '/plain', body: 'streamed body' });
  });

  it('sends the credential to its own origin only', async () => {
    const elsewhere = createUndiciFetch(dispatcher, { origin: 'http://127.0.0.1:9', timeoutMs: 2_000, authorization: 'Bearer for-127.0.0.1:9' });
    await elsewhere(new LightRequest(`${authlete.url}/other`, { method: 'POST', body: '{}' }));
    const own = createUndiciFetch(dispatcher, { origin: new URL(authlete.url).origin, timeoutMs: 2_000, authorization: 'Bearer own' });
    await own(new LightRequest(`${authlete.url}/own`, { method: 'POST', body: '{}' }));
    expect(authlete.calls.map((call) => [call.path, call.headers['authorization']])).toEqual([
      ['/other', undefined],
      ['/own', 'Bearer own'],
    ]);
  });

  it('keeps the service credential out of the request a middleware sees', async () => {
    const c = client();
    const seen: Array<string | null> = [];
    c.use({ onRequest: ({ request }) => void seen.push(request.headers.get('authorization')) });
    await update(c);
    expect(seen).toEqual([null]);
    expect(authlete.calls[0]?.headers['authorization']).toBe(`Bearer ${SERVICE_TOKEN}`);
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
