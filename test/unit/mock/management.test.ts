import { startStatefulMock, type RunningStatefulMock } from '../../../mock/stateful/stateful-mock';
import { content, callMock, registerWithMock, SERVICE_ID, SERVICE_TOKEN, WEB_CLIENT, type Registered } from './mock-calls';

const REGISTERED_AT = 1_764_150_000;

describe('stateful mock: client management (RFC 7592)', () => {
  let mock: RunningStatefulMock;
  let now: number;

  beforeAll(async () => {
    now = REGISTERED_AT;
    mock = await startStatefulMock({
      managementBaseUrl: 'https://as.example.com/register',
      serviceAccessToken: SERVICE_TOKEN,
      serviceId: SERVICE_ID,
      now: () => now,
    });
  });
  afterAll(() => mock.close());

  const read = (clientId: string, token: string) => callMock(mock.url, 'registration/get', { clientId, token });
  const update = (client: Registered, metadata: unknown, token = client.token) =>
    callMock(mock.url, 'registration/update', { clientId: client.clientId, token, json: JSON.stringify(metadata) });
  const remove = (clientId: string, token: string) => callMock(mock.url, 'registration/delete', { clientId, token });

  describe('read', () => {
    it('answers OK with the client information as registered', async () => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const decision = await read(client.clientId, client.token);
      expect(decision).toMatchObject({ action: 'OK', resultCode: 'A217001' });
      expect(content(decision)).toEqual(client.info);
      expect(decision.client).toMatchObject({ clientId: Number(client.clientId), clientName: 'Web App' });
    });

    it('answers UNAUTHORIZED invalid_token for a wrong token and for an unknown client, in the same words', async () => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const other = await registerWithMock(mock.url, WEB_CLIENT);
      const wrongToken = await read(client.clientId, other.token);
      const unknownClient = await read('1000000000000001', client.token);

      for (const decision of [wrongToken, unknownClient]) {
        expect(decision.action).toBe('UNAUTHORIZED');
        expect(content(decision)).toMatchObject({ error: 'invalid_token' });
        expect(decision.client).toBeUndefined();
      }
      expect(unknownClient.resultMessage).toBe(wrongToken.resultMessage);
      expect(unknownClient.resultCode).toBe(wrongToken.resultCode);
    });
  });

  describe('update', () => {
    it('replaces the metadata: a field left out of the PUT is gone, defaults come back, credentials stay', async () => {
      const client = await registerWithMock(mock.url, {
        ...WEB_CLIENT,
        logo_uri: 'https://client.example.org/logo.png',
        grant_types: ['authorization_code', 'refresh_token'],
      });
      now = REGISTERED_AT + 60;

      const decision = await update(client, { client_id: client.clientId, client_name: 'Renamed', redirect_uris: ['https://client.example.org/cb2'] });

      expect(decision).toMatchObject({ action: 'UPDATED', resultCode: 'A213001' });
      const info = content(decision);
      expect(info).not.toHaveProperty('logo_uri');
      expect(info).toMatchObject({
        client_id: client.clientId,
        client_secret: client.secret,
        registration_access_token: client.token,
        registration_client_uri: client.info['registration_client_uri'],
        client_id_issued_at: REGISTERED_AT,
        client_secret_expires_at: 0,
        client_name: 'Renamed',
        redirect_uris: ['https://client.example.org/cb2'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
      expect(decision.client).toMatchObject({ clientName: 'Renamed', redirectUris: ['https://client.example.org/cb2'], modifiedAt: (REGISTERED_AT + 60) * 1000 });
      expect(content(await read(client.clientId, client.token))).toEqual(info);
    });

    it('accepts the current client secret in the body', async () => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const decision = await update(client, { ...WEB_CLIENT, client_id: client.clientId, client_secret: client.secret });
      expect(decision.action).toBe('UPDATED');
    });

    it.each([
      ['missing', undefined],
      ['another client ID', '1000000000000001'],
      ['the right ID as a number', 'number'],
    ])('answers BAD_REQUEST invalid_request when client_id is %s', async (_what, sent) => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const clientId = sent === 'number' ? Number(client.clientId) : sent;
      const decision = await update(client, { ...WEB_CLIENT, ...(clientId !== undefined && { client_id: clientId }) });
      expect(decision.action).toBe('BAD_REQUEST');
      expect(content(decision)).toMatchObject({ error: 'invalid_request' });
    });

    it.each(['registration_access_token', 'registration_client_uri', 'client_secret_expires_at', 'client_id_issued_at'])(
      'answers BAD_REQUEST invalid_client_metadata when the body carries %s',
      async (field) => {
        const client = await registerWithMock(mock.url, WEB_CLIENT);
        const decision = await update(client, { ...WEB_CLIENT, client_id: client.clientId, [field]: client.info[field] });
        expect(decision.action).toBe('BAD_REQUEST');
        expect(content(decision)).toMatchObject({ error: 'invalid_client_metadata' });
        expect(decision.resultMessage).toContain(field);
      },
    );

    it('answers BAD_REQUEST invalid_client_metadata for a client secret that is not the current one', async () => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const decision = await update(client, { ...WEB_CLIENT, client_id: client.clientId, client_secret: 'not-the-secret' });
      expect(decision.action).toBe('BAD_REQUEST');
      expect(content(decision)).toMatchObject({ error: 'invalid_client_metadata' });
      expect(decision.responseContent).not.toContain(String(client.secret));
    });

    it.each([
      ['metadata that is not an object', [], 'invalid_client_metadata'],
      ['a relative redirect URI', { redirect_uris: ['cb'] }, 'invalid_redirect_uri'],
      ['no redirect URI for authorization_code', { client_name: 'x' }, 'invalid_redirect_uri'],
      ['client_name of the wrong type', { ...WEB_CLIENT, client_name: ['x'] }, 'invalid_client_metadata'],
    ])('answers BAD_REQUEST for %s and keeps the stored metadata', async (_what, metadata, error) => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const body = Array.isArray(metadata) ? metadata : { ...metadata, client_id: client.clientId };
      const decision = await update(client, body);
      expect(decision.action).toBe('BAD_REQUEST');
      expect(content(decision)).toMatchObject({ error });
      expect(content(await read(client.clientId, client.token))).toEqual(client.info);
    });

    it('answers UNAUTHORIZED for a wrong token before looking at the metadata, and changes nothing', async () => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const decision = await update(client, 'not even an object', 'wrong-token');
      expect(decision.action).toBe('UNAUTHORIZED');
      expect(content(decision)).toMatchObject({ error: 'invalid_token' });
      expect(content(await read(client.clientId, client.token))).toEqual(client.info);
    });

    it('shows the client secret again when a public client becomes confidential', async () => {
      const client = await registerWithMock(mock.url, { ...WEB_CLIENT, token_endpoint_auth_method: 'none' });
      expect(client.secret).toBeUndefined();
      const decision = await update(client, { ...WEB_CLIENT, client_id: client.clientId });
      expect(content(decision)['client_secret']).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/));
      expect(decision.client).toMatchObject({ clientType: 'CONFIDENTIAL' });
    });
  });

  describe('delete', () => {
    it('answers DELETED without content, forgets the client, and later calls with its token are UNAUTHORIZED', async () => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const before = mock.clientCount();

      const decision = await remove(client.clientId, client.token);

      expect(decision).toMatchObject({ action: 'DELETED', resultCode: 'A216001' });
      expect(decision).not.toHaveProperty('responseContent');
      expect(decision.client).toMatchObject({ clientId: Number(client.clientId) });
      expect(mock.clientCount()).toBe(before - 1);
      expect((await read(client.clientId, client.token)).action).toBe('UNAUTHORIZED');
      expect((await update(client, { ...WEB_CLIENT, client_id: client.clientId })).action).toBe('UNAUTHORIZED');
      expect((await remove(client.clientId, client.token)).action).toBe('UNAUTHORIZED');
      expect(mock.clientCount()).toBe(before - 1);
    });

    it('keeps the client when the token is wrong', async () => {
      const client = await registerWithMock(mock.url, WEB_CLIENT);
      const before = mock.clientCount();
      expect((await remove(client.clientId, 'wrong-token')).action).toBe('UNAUTHORIZED');
      expect(mock.clientCount()).toBe(before);
      expect((await read(client.clientId, client.token)).action).toBe('OK');
    });
  });
});

describe('stateful mock with unauthorizedOnClientConfigSupported off', () => {
  let mock: RunningStatefulMock;

  beforeAll(async () => {
    mock = await startStatefulMock({ managementBaseUrl: 'https://as.example.com/register', unauthorizedOnClientConfigSupported: false });
  });
  afterAll(() => mock.close());

  it.each([
    ['registration/get', (clientId: string, token: string) => ({ clientId, token })],
    ['registration/update', (clientId: string, token: string) => ({ clientId, token, json: JSON.stringify({ ...WEB_CLIENT, client_id: clientId }) })],
    ['registration/delete', (clientId: string, token: string) => ({ clientId, token })],
  ] as const)('%s answers BAD_REQUEST invalid_request for a wrong token and for an unknown client alike', async (which, body) => {
    const client = await registerWithMock(mock.url, WEB_CLIENT);
    const wrongToken = await callMock(mock.url, which, body(client.clientId, 'wrong-token'));
    const unknownClient = await callMock(mock.url, which, body('1000000000000001', client.token));

    for (const decision of [wrongToken, unknownClient]) {
      expect(decision.action).toBe('BAD_REQUEST');
      expect(content(decision)).toMatchObject({ error: 'invalid_request' });
    }
    expect(unknownClient.resultMessage).toBe(wrongToken.resultMessage);
    expect((await callMock(mock.url, 'registration/get', { clientId: client.clientId, token: client.token })).action).toBe('OK');
  });
});
