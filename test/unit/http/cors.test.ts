import { startControlledGateway, withControlledGateway, type ControlledGateway } from '../../support/controlled-gateway';
import { decision } from '../../support/fake-authority';
import { send } from '../../support/http-client';

const CLIENT_INFO = '{"client_id":"42","client_secret":"s3cr3t","registration_access_token":"rat-42"}';
const APP = 'https://app.example.org';

function preflight(gateway: ControlledGateway, origin: string, path = '/register', method = 'POST') {
  return send(`${gateway.url}${path}`, {
    method: 'OPTIONS',
    headers: [
      ['Origin', origin],
      ['Access-Control-Request-Method', method],
      ['Access-Control-Request-Headers', 'authorization, content-type'],
    ],
  });
}

function register(gateway: ControlledGateway, origin: string) {
  return send(`${gateway.url}/register`, {
    method: 'POST',
    headers: [['Origin', origin], ['Content-Type', 'application/json']],
    body: '{"redirect_uris":["https://app.example.org/cb"]}',
  });
}

describe('CORS_ALLOWED_ORIGINS', () => {
  let gateway: ControlledGateway;
  beforeAll(async () => {
    gateway = await startControlledGateway({ CORS_ALLOWED_ORIGINS: `${APP}, http://localhost:3000`, LIMIT_REGISTRATIONS_PER_IP: '1/1m' });
    gateway.authority.answers(decision('CREATED', CLIENT_INFO));
  });
  afterAll(() => gateway.stop());

  it('answers a preflight from an allowed origin locally, many times over: not rate limited, Authlete not asked', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await preflight(gateway, APP, '/register/42', 'PUT');
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers['access-control-allow-methods']).toBe('GET,PUT,DELETE');
      expect(response.headers['access-control-allow-headers']).toBe('Authorization,Content-Type');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    }
    expect(gateway.authority.received).toHaveLength(0);
  });

  it('names on each path the methods it answers, and takes no part in a preflight to any other path', async () => {
    for (const path of ['/register', '/register/']) {
      const registration = await preflight(gateway, APP, path, 'POST');
      expect(registration.status).toBe(204);
      expect(registration.headers['access-control-allow-methods']).toBe('POST');
    }
    const client = await preflight(gateway, APP, '/register/42/', 'DELETE');
    expect(client.headers['access-control-allow-methods']).toBe('GET,PUT,DELETE');

    for (const path of ['/nope', '/metrics', '/register/42/more', '/registers']) {
      const elsewhere = await preflight(gateway, APP, path, 'GET');
      expect(elsewhere.status).toBe(404);
      expect(Object.keys(elsewhere.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('exposes the headers a browser client needs to read on the actual request, 429 included', async () => {
    const created = await register(gateway, APP);
    const refused = await register(gateway, APP);

    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(APP);
    expect(created.headers['access-control-expose-headers']).toBe('X-Request-Id,Retry-After,RateLimit,RateLimit-Policy,WWW-Authenticate');
    expect(refused.status).toBe(429);
    expect(refused.headers['access-control-allow-origin']).toBe(APP);
  });

  it('gives a disallowed origin no CORS headers at all, on the preflight and on the request', async () => {
    const pre = await preflight(gateway, 'https://evil.example');
    const actual = await send(`${gateway.url}/register/42`, { method: 'GET', headers: [['Origin', 'https://evil.example'], ['Authorization', 'Bearer x']] });

    for (const response of [pre, actual]) {
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
    expect(pre.headers['vary']).toContain('Origin');
  });
});

describe('CORS_ALLOWED_ORIGINS=*', () => {
  it('lets any origin call, with a wildcard and no credentials', async () => {
    await withControlledGateway({ CORS_ALLOWED_ORIGINS: '*' }, async (gateway) => {
      const response = await preflight(gateway, 'https://anyone.example');
      expect(response.headers['access-control-allow-origin']).toBe('*');
    });
  });
});

describe('without CORS_ALLOWED_ORIGINS (the default)', () => {
  it('sends no CORS headers, even to a preflight', async () => {
    await withControlledGateway({}, async (gateway) => {
      const response = await preflight(gateway, APP);
      expect(response.status).toBe(204);
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    });
  });
});
