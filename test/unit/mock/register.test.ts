import { startStatefulMock, type RunningStatefulMock } from '../../../mock/stateful/stateful-mock';
import { content, callMock, registerWithMock, SERVICE_ID, SERVICE_TOKEN, WEB_CLIENT } from './mock-calls';

const NOW = 1_764_150_000;
const BASE64URL_43 = /^[A-Za-z0-9_-]{43,}$/;

describe('stateful mock: registration (RFC 7591)', () => {
  let mock: RunningStatefulMock;
  let bases: string[];
  let asked: number;

  beforeAll(async () => {
    bases = ['https://as.example.com/register'];
    asked = 0;
    mock = await startStatefulMock({
      managementBaseUrl: () => {
        asked += 1;
        return bases[0] ?? 'missing';
      },
      serviceAccessToken: SERVICE_TOKEN,
      serviceId: SERVICE_ID,
      now: () => NOW,
    });
  });
  afterAll(() => mock.close());

  const register = (json: string, token?: string) => callMock(mock.url, 'registration', token === undefined ? { json } : { json, token });

  it('answers CREATED with the issued fields, RFC 7591 defaults and the client view', async () => {
    const decision = await register(JSON.stringify(WEB_CLIENT));

    expect(decision).toMatchObject({ action: 'CREATED', resultCode: 'A202001' });
    const info = content(decision);
    expect(info['client_id']).toMatch(/^[1-9]\d{15}$/);
    expect(info['client_secret']).toMatch(BASE64URL_43);
    expect(info['registration_access_token']).toMatch(BASE64URL_43);
    expect(info).toMatchObject({
      client_id_issued_at: NOW,
      client_secret_expires_at: 0,
      registration_client_uri: `https://as.example.com/register/${String(info['client_id'])}`,
      client_name: 'Web App',
      redirect_uris: ['https://client.example.org/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    });
    expect(decision.client).toMatchObject({
      clientId: Number(info['client_id']),
      clientName: 'Web App',
      clientType: 'CONFIDENTIAL',
      redirectUris: ['https://client.example.org/cb'],
    });
  });

  it('keeps every secret out of the client view', async () => {
    const decision = await register(JSON.stringify(WEB_CLIENT));
    const info = content(decision);
    const view = JSON.stringify(decision.client);
    expect(view).not.toContain(String(info['client_secret']));
    expect(view).not.toContain(String(info['registration_access_token']));
  });

  it('keeps values the client chose instead of the defaults', async () => {
    const { info } = await registerWithMock(mock.url, {
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://client.example.org/jwks',
    });
    expect(info).toMatchObject({ grant_types: ['client_credentials'], response_types: [], token_endpoint_auth_method: 'private_key_jwt' });
    expect(info['redirect_uris']).toBeUndefined();
  });

  it('issues no client secret to a public client (token_endpoint_auth_method none)', async () => {
    const decision = await register(JSON.stringify({ ...WEB_CLIENT, token_endpoint_auth_method: 'none' }));
    expect(decision.action).toBe('CREATED');
    expect(content(decision)['client_secret']).toBeUndefined();
    expect(decision.client).toMatchObject({ clientType: 'PUBLIC' });
  });

  it('issues a different client ID, secret and token on each registration', async () => {
    const [a, b] = await Promise.all([registerWithMock(mock.url, WEB_CLIENT), registerWithMock(mock.url, WEB_CLIENT)]);
    expect(a.clientId).not.toBe(b.clientId);
    expect(a.secret).not.toBe(b.secret);
    expect(a.token).not.toBe(b.token);
  });

  it('asks a function base on every registration and uses its current answer', async () => {
    const before = asked;
    bases = ['http://127.0.0.1:9/first'];
    const first = await registerWithMock(mock.url, WEB_CLIENT);
    bases = ['http://127.0.0.1:9/second/'];
    const second = await registerWithMock(mock.url, WEB_CLIENT);

    expect(asked - before).toBe(2);
    expect(first.info['registration_client_uri']).toBe(`http://127.0.0.1:9/first/${first.clientId}`);
    // A trailing slash on the base does not double up.
    expect(second.info['registration_client_uri']).toBe(`http://127.0.0.1:9/second/${second.clientId}`);
    bases = ['https://as.example.com/register'];
  });

  it('ignores values sent for fields the server issues, and the initial access token', async () => {
    const decision = await register(
      JSON.stringify({ ...WEB_CLIENT, client_id: 'chosen', client_secret: 'chosen-secret', registration_client_uri: 'https://evil.example/x', client_id_issued_at: 1 }),
      'initial-access-token',
    );
    const info = content(decision);
    expect(decision.action).toBe('CREATED');
    expect(info['client_id']).not.toBe('chosen');
    expect(info['client_secret']).not.toBe('chosen-secret');
    expect(info['registration_client_uri']).toBe(`https://as.example.com/register/${String(info['client_id'])}`);
    expect(info['client_id_issued_at']).toBe(NOW);
  });

  it('counts the clients it keeps', async () => {
    const before = mock.clientCount();
    await registerWithMock(mock.url, WEB_CLIENT);
    expect(mock.clientCount()).toBe(before + 1);
    await register('[]');
    expect(mock.clientCount()).toBe(before + 1);
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"client"'],
    ['null', 'null'],
    ['not JSON at all', '{client_name: x}'],
  ])('answers BAD_REQUEST invalid_client_metadata when the metadata is %s', async (_what, json) => {
    const decision = await register(json);
    expect(decision.action).toBe('BAD_REQUEST');
    expect(decision.resultCode).toBe('M202201');
    expect(content(decision)).toEqual({ error: 'invalid_client_metadata', error_description: decision.resultMessage });
  });

  it.each([
    ['relative', { redirect_uris: ['/callback'] }],
    ['with a fragment', { redirect_uris: ['https://client.example.org/cb#frag'] }],
    ['with an empty fragment', { redirect_uris: ['https://client.example.org/cb#'] }],
    ['with spaces', { redirect_uris: ['https://client.example.org/c b'] }],
    ['not a list', { redirect_uris: 'https://client.example.org/cb' }],
    ['a list with a number', { redirect_uris: ['https://client.example.org/cb', 7] }],
    ['missing with the default grant type', { client_name: 'No redirect' }],
    ['an empty list with authorization_code', { redirect_uris: [], grant_types: ['authorization_code'] }],
    ['missing with implicit', { grant_types: ['implicit'], response_types: ['token'] }],
  ])('answers BAD_REQUEST invalid_redirect_uri when the redirect URIs are %s', async (_what, metadata) => {
    const decision = await register(JSON.stringify(metadata));
    expect(decision.action).toBe('BAD_REQUEST');
    expect(content(decision)).toMatchObject({ error: 'invalid_redirect_uri' });
  });

  it.each([
    ['https://client.example.org/cb?x=1'],
    ['com.example.app:/oauth2redirect'],
    ['http://127.0.0.1:8080/cb'],
  ])('accepts the absolute redirect URI %s', async (uri) => {
    const decision = await register(JSON.stringify({ redirect_uris: [uri] }));
    expect(decision.action).toBe('CREATED');
  });

  it.each([
    ['client_name is a number', { client_name: 7 }],
    ['grant_types is a string', { grant_types: 'authorization_code' }],
    ['response_types holds a number', { response_types: [1] }],
    ['token_endpoint_auth_method is an object', { token_endpoint_auth_method: { method: 'none' } }],
    ['contacts is a string', { contacts: 'admin@example.org' }],
    ['jwks is an array', { jwks: [] }],
  ])('answers BAD_REQUEST invalid_client_metadata when %s', async (_what, metadata) => {
    const decision = await register(JSON.stringify({ ...WEB_CLIENT, ...metadata }));
    expect(decision.action).toBe('BAD_REQUEST');
    expect(content(decision)).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('treats a null value as an omitted field', async () => {
    const { info } = await registerWithMock(mock.url, { ...WEB_CLIENT, logo_uri: null, grant_types: null });
    expect(info).not.toHaveProperty('logo_uri');
    expect(info['grant_types']).toEqual(['authorization_code']);
  });

  it('stores other metadata as sent', async () => {
    const { info } = await registerWithMock(mock.url, { ...WEB_CLIENT, software_id: 'sw-1', id_token_signed_response_alg: 'ES256', 'client_name#ja': 'ウェブ' });
    expect(info).toMatchObject({ software_id: 'sw-1', id_token_signed_response_alg: 'ES256', 'client_name#ja': 'ウェブ' });
  });
});
