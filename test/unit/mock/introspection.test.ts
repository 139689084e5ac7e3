import { startStatefulMock, type RunningStatefulMock } from '../../../mock/stateful/stateful-mock';
import { post, SERVICE_ID, SERVICE_TOKEN } from './mock-calls';

const INTROSPECTION = `/api/${SERVICE_ID}/auth/introspection`;

async function mint(mock: RunningStatefulMock, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${mock.url}/mock/access-tokens`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
  return { status: response.status, json: await response.json() };
}

async function tokenFor(mock: RunningStatefulMock, scope: string, expiresIn?: number): Promise<string> {
  const { json } = await mint(mock, expiresIn === undefined ? { scope } : { scope, expires_in: expiresIn });
  return (json as { access_token: string }).access_token;
}

describe('the stateful mock: minting access tokens and introspecting them', () => {
  let mock: RunningStatefulMock;
  let now = 1_764_150_000;
  beforeAll(async () => {
    mock = await startStatefulMock({ managementBaseUrl: 'http://gw/register', serviceAccessToken: SERVICE_TOKEN, serviceId: SERVICE_ID, now: () => now });
  });
  afterAll(() => mock.close());

  it('mints a Bearer token for the scopes asked for', async () => {
    const minted = await mint(mock, { scope: 'client.register openid' });
    expect(minted).toEqual({
      status: 201,
      json: { access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 3600, scope: 'client.register openid' },
    });
  });

  it('refuses a mint request it cannot read, saying what to send', async () => {
    const refused = await mint(mock, { scope: 42 });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('scope');
  });

  it('answers OK for a live token covering the scopes, with its scopes and expiry', async () => {
    const token = await tokenFor(mock, 'client.register openid');
    const reply = await post(mock.url, INTROSPECTION, JSON.stringify({ token, scopes: ['client.register'] }));
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ action: 'OK', scopes: ['client.register', 'openid'], expiresAt: (now + 3600) * 1000, usable: true, sufficient: true });
    expect(reply.json).not.toHaveProperty('responseContent');
  });

  it('answers FORBIDDEN with an insufficient_scope challenge when a scope is not covered', async () => {
    const token = await tokenFor(mock, 'openid');
    const reply = await post(mock.url, INTROSPECTION, JSON.stringify({ token, scopes: ['client.register'] }));
    expect(reply.json).toMatchObject({ action: 'FORBIDDEN', responseContent: expect.stringMatching(/^Bearer error="insufficient_scope",.*scope="client.register"$/) });
  });

  it('answers UNAUTHORIZED with an invalid_token challenge for an unknown token, and for one that expired', async () => {
    const token = await tokenFor(mock, 'client.register', 60);
    const unknown = await post(mock.url, INTROSPECTION, JSON.stringify({ token: 'never-minted', scopes: ['client.register'] }));
    now += 61;
    const expired = await post(mock.url, INTROSPECTION, JSON.stringify({ token, scopes: ['client.register'] }));
    for (const reply of [unknown, expired]) {
      expect(reply.json).toMatchObject({ action: 'UNAUTHORIZED', responseContent: expect.stringMatching(/^Bearer error="invalid_token"/) });
    }
  });

  it('checks the call against the contract like the other calls: service token, and a body with a token', async () => {
    expect((await post(mock.url, INTROSPECTION, '{"token":"x"}', { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(mock.url, INTROSPECTION, '{"scopes":["a"]}')).status).toBe(400);
    expect((await post(mock.url, INTROSPECTION, '{"token":"x","extra":1}')).status).toBe(400);
  });
});
