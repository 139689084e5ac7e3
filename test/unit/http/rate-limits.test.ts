import { RateLimiterMemory } from 'rate-limiter-flexible';
import { FlexibleLimit } from '../../../src/adapters/limits/flexible-limit';
import type { OpenedLimits } from '../../../src/adapters/limits/create-limits';
import { TOKENS } from '../../../src/composition/tokens';
import { startGateway } from '../../../src/gateway';
import { startControlledGateway, withControlledGateway, type ControlledGateway } from '../../support/controlled-gateway';
import { FakeAuthority } from '../../support/fake-authority';
import { testConfig } from '../../support/test-config';
import { decision } from '../../support/fake-authority';
import { jsonBody, send, sendWithoutEnd } from '../../support/http-client';

const METADATA = '{"redirect_uris":["https://client.example.org/cb"]}';
const CLIENT_INFO = '{"client_id":"42","client_secret":"s3cr3t","registration_access_token":"rat-42"}';
const UNAUTHORIZED = '{"error":"invalid_token","error_description":"from the authority"}';

function register(gateway: ControlledGateway, forwardedFor?: string) {
  return send(`${gateway.url}/register`, {
    method: 'POST',
    headers: [['Content-Type', 'application/json'], ...(forwardedFor === undefined ? [] : [['X-Forwarded-For', forwardedFor] as const])],
    body: METADATA,
  });
}

function read(gateway: ControlledGateway, headers: ReadonlyArray<readonly [string, string]> = [['Authorization', 'Bearer wrong']]) {
  return send(`${gateway.url}/register/42`, { method: 'GET', headers });
}

async function metric(gateway: ControlledGateway, name: string): Promise<string> {
  const page = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
  return page.split('\n').filter((line) => line.startsWith(name)).join('\n');
}

describe('LIMIT_REGISTRATIONS_PER_IP and LIMIT_REGISTRATIONS_TOTAL', () => {
  it('cuts one address off at its count with 429, Retry-After and the RateLimit fields, and Authlete is not asked', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '3/1h' }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await register(gateway)).status);
      const refused = await register(gateway);

      expect(statuses).toEqual([201, 201, 201]);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(refused.headers['ratelimit-policy']).toBe('"registrations_per_ip";q=3;w=3600');
      expect(refused.headers['ratelimit']).toBe(`"registrations_per_ip";r=0;t=${retryAfter}`);
      expect(jsonBody(refused)).toEqual({ error: 'rate_limited', error_description: expect.stringContaining('Retry-After') });
      expect(gateway.authority.received).toHaveLength(3);
      expect(await metric(gateway, 'dcr_limit_refusals_total{')).toBe('dcr_limit_refusals_total{limit="registrations_per_ip"} 1');
    });
  });

  it('tells a registration let through what its address has left, in the same fields, and never what the total has left', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '3/1h', LIMIT_REGISTRATIONS_TOTAL: '100/1h' }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      const answers = [await register(gateway), await register(gateway)];

      expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
      expect(answers.map((answer) => answer.headers['ratelimit-policy'])).toEqual(['"registrations_per_ip";q=3;w=3600', '"registrations_per_ip";q=3;w=3600']);
      expect(answers.map((answer) => answer.headers['ratelimit'])).toEqual(['"registrations_per_ip";r=2;t=3600', '"registrations_per_ip";r=1;t=3600']);
      expect(answers[0]?.headers['retry-after']).toBeUndefined();
    });
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: 'off', LIMIT_REGISTRATIONS_TOTAL: '100/1h' }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      const answer = await register(gateway);
      expect(answer.status).toBe(201);
      expect(answer.headers['ratelimit']).toBeUndefined();
      expect(answer.headers['ratelimit-policy']).toBeUndefined();
    });
  });

  it("counts against the total only what the address's own limit lets through: a burst from one address leaves the others their share", async () => {
    // Counters that answer in batches, as a shared store does: a burst's checks all go out before the first
    // answer, and the answers come back together, in one turn of the event loop.
    const batched = (count: number) => {
      const memory = new RateLimiterMemory({ points: count, duration: 60 });
      let waiting: Array<() => void> = [];
      const later = <T>(call: () => Promise<T>): Promise<T> =>
        new Promise<T>((resolve, reject) => {
          if (waiting.length === 0) {
            setTimeout(() => {
              const due = waiting;
              waiting = [];
              for (const answer of due) answer();
            }, 50);
          }
          waiting.push(() => void call().then(resolve, reject));
        });
      return {
        consume: (key: string | number, points?: number) => later(() => memory.consume(key, points)),
        penalty: (key: string | number, points?: number) => later(() => memory.penalty(key, points)),
        reward: (key: string | number, points?: number) => later(() => memory.reward(key, points)),
      };
    };
    const limits: OpenedLimits = {
      limits: {
        registrationsPerIp: new FlexibleLimit('registrations_per_ip', { count: 2, windowSeconds: 60 }, batched(2)),
        registrationsTotal: new FlexibleLimit('registrations_total', { count: 10, windowSeconds: 60 }, batched(10)),
      },
      store: 'redis',
      ready: async () => {},
      close: async () => {},
    };
    const authority = new FakeAuthority().answers(decision('CREATED', CLIENT_INFO));
    const gateway = await startGateway(testConfig({ TRUST_PROXY_HOPS: 1, AUTHLETE_MAX_PENDING: 200 }), (container) => {
      container.rebind(TOKENS.RegistrationAuthority).toConstantValue(authority);
      container.rebind(TOKENS.Limits).toConstantValue(limits);
    });
    try {
      const from = (address: string) =>
        send(`${gateway.url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json'], ['X-Forwarded-For', address]], body: METADATA });
      const burst = await Promise.all(Array.from({ length: 100 }, () => from('198.51.100.1')));
      const other = await from('198.51.100.2');

      expect(burst.filter((answer) => answer.status === 201)).toHaveLength(2);
      expect(other.status).toBe(201);
      expect(other.headers['ratelimit']).toBe('"registrations_per_ip";r=1;t=60');
    } finally {
      await gateway.stop();
    }
  });

  it('counts a total across addresses; TRUST_PROXY_HOPS=1 takes the address from X-Forwarded-For', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '2/1m', LIMIT_REGISTRATIONS_TOTAL: '3/1m', TRUST_PROXY_HOPS: 1 }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      // A client-supplied entry before the proxy's own is not believed: only the last hop counts.
      expect((await register(gateway, 'spoofed, 198.51.100.1')).status).toBe(201);
      expect((await register(gateway, 'other, 198.51.100.1')).status).toBe(201);
      expect((await register(gateway, '198.51.100.1')).status).toBe(429);
      expect((await register(gateway, '198.51.100.2')).status).toBe(201);
      const overTotal = await register(gateway, '198.51.100.3');

      expect(overTotal.status).toBe(429);
      expect(overTotal.headers['ratelimit-policy']).toBe('"registrations_total";q=3;w=60');
      expect(gateway.authority.received).toHaveLength(3);
      expect(gateway.log.records().find((line) => line['status'] === 429)).toMatchObject({ clientIp: '198.51.100.1', refusedBy: 'registrations_per_ip' });
    });
  });

  it('names an IPv4 client in IPv6 form (::ffff:198.51.100.4, as dual-stack proxies forward it) as the IPv4 address it counts as', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '1/1m', TRUST_PROXY_HOPS: 1 }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      expect((await register(gateway, '::ffff:198.51.100.4')).status).toBe(201);
      expect((await register(gateway, '198.51.100.4')).status).toBe(429);

      expect(gateway.log.records().filter((line) => line['path'] === '/register').map((line) => line['clientIp'])).toEqual(['198.51.100.4', '198.51.100.4']);
    });
  });

  it('names an IPv4 peer of a dual-stack listener (HOST=::) by its IPv4 address', async () => {
    await withControlledGateway({ HOST: '::', LIMIT_REGISTRATIONS_PER_IP: 'off' }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      const { port } = new URL(gateway.url);
      const registered = await send(`http://127.0.0.1:${port}/register`, {
        method: 'POST',
        headers: [['Content-Type', 'application/json']],
        body: '{"redirect_uris":["https://client.example.org/cb"]}',
      });

      expect(registered.status).toBe(201);
      expect(gateway.log.records().find((line) => line['path'] === '/register')).toMatchObject({ clientIp: '127.0.0.1' });
    });
  });

  it('counts the addresses of one IPv6 /64 as one client', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '1/1m', TRUST_PROXY_HOPS: 1 }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      expect((await register(gateway, '2001:db8:7:7::1')).status).toBe(201);
      expect((await register(gateway, '2001:db8:7:7:ffff::2')).status).toBe(429);
      expect((await register(gateway, '2001:db8:7:8::1')).status).toBe(201);
    });
  });

  it('with TRUST_PROXY_HOPS=0 (the default) ignores X-Forwarded-For: the socket peer is the client', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '1/1m' }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      expect((await register(gateway, '198.51.100.7')).status).toBe(201);
      expect((await register(gateway, '198.51.100.8')).status).toBe(429);
    });
  });

  it('with TRUST_PROXY_HOPS=1, does not believe a forwarded entry that is not an IP address: the peer counts instead', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '1/1m', TRUST_PROXY_HOPS: 1 }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      expect((await register(gateway, 'made-up-1')).status).toBe(201);
      expect((await register(gateway, 'made-up-2')).status).toBe(429);
      // Brackets around IPv4, and a port over 65535, were believed before: each one a key of the sender's choosing.
      expect((await register(gateway, '[198.51.100.9]:80')).status).toBe(429);
      expect((await register(gateway, '[2001:db8:9::1]:99999')).status).toBe(429);
      expect((await register(gateway, '198.51.100.10:65536')).status).toBe(429);
      const refused = gateway.log.records().filter((line) => line['status'] === 429);
      expect(refused.map((line) => line['clientIp'])).toEqual(Array.from({ length: 4 }, () => expect.stringMatching(/127\.0\.0\.1$/)));
    });
  });

  it('with TRUST_PROXY_HOPS=1, takes the address from a forwarded entry written with a port', async () => {
    // Before, 192.0.2.1:5678 was not an IP address, so every client behind such a proxy counted as the proxy.
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '1/1m', TRUST_PROXY_HOPS: 1 }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      expect((await register(gateway, '192.0.2.1:5678')).status).toBe(201);
      expect((await register(gateway, '192.0.2.1:5679')).status).toBe(429);
      expect((await register(gateway, '192.0.2.2:5678')).status).toBe(201);
      expect((await register(gateway, '[2001:db8:5:5::1]:443')).status).toBe(201);
      expect((await register(gateway, '[2001:db8:5:5::2]:443')).status).toBe(429);
      expect((await register(gateway, '[2001:db8:5:6::1]')).status).toBe(201);
      // Logged as the system writes the address, not as the proxy spelled it: one client, one name in the log.
      expect((await register(gateway, '[2001:DB8:5:7:0:0:0:1]:443')).status).toBe(201);
      const clientIps = gateway.log.records().filter((line) => line['msg'] === 'request answered').map((line) => line['clientIp']);
      expect(clientIps).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.2', '2001:db8:5:5::1', '2001:db8:5:5::2', '2001:db8:5:6::1', '2001:db8:5:7::1']);
      // A zone ID is the sender's own text: believed, each one was a new key (fe80::1%a, fe80::1%b, ...).
      expect((await register(gateway, 'fe80::1%a')).status).toBe(201);
      expect((await register(gateway, 'fe80::1%b')).status).toBe(429);
    });
  });

  it('refuses an address known to be over its limit on arrival: no introspection, no admission, no body read', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '1/1m', REGISTRATION_ACCESS: 'token', AUDIT_LOG: 'stdout' }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      const withToken = (body: string) =>
        send(`${gateway.url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json'], ['Authorization', 'Bearer iat-1']], body });
      expect((await withToken(METADATA)).status).toBe(201);
      // The first request over the limit finds it out where the registration is counted, after its token and body.
      expect((await withToken(METADATA)).status).toBe(429);
      const introspectedSoFar = gateway.checker.received.length;
      // Every later one is refused before its token is introspected or its body read: this body is not even JSON.
      const later = [await withToken(METADATA), await withToken('not json')];

      expect(introspectedSoFar).toBe(2);
      expect(later.map((answer) => answer.status)).toEqual([429, 429]);
      expect(later[1]?.headers['ratelimit']).toMatch(/^"registrations_per_ip";r=0;t=\d+$/);
      expect(Number(later[1]?.headers['retry-after'])).toBeGreaterThan(0);
      expect(gateway.checker.received).toHaveLength(introspectedSoFar);
      expect(gateway.authority.received).toHaveLength(1);
      expect(await metric(gateway, 'dcr_limit_refusals_total{')).toBe('dcr_limit_refusals_total{limit="registrations_per_ip"} 3');
      expect(gateway.audit.events.map(({ event, status, limit }) => [event, status, limit])).toEqual([
        ['registered', 201, undefined],
        ...Array.from({ length: 3 }, () => ['rate_limited', 429, 'registrations_per_ip']),
      ]);
    });
  });

  it('gives the body of a request refused on arrival two seconds, then closes, however much more is announced', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '1/1m' }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      expect((await register(gateway)).status).toBe(201);
      expect((await register(gateway)).status).toBe(429);
      const { answer, lastedMs: lasted } = await sendWithoutEnd(
        gateway.url,
        'POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000000\r\n\r\n{"redirect_uris":[',
      );

      expect(answer).toMatch(/^HTTP\/1\.1 429 /);
      expect(lasted).toBeGreaterThan(1_500);
      expect(lasted).toBeLessThan(4_000);
    });
  }, 15_000);

  it('refuses everyone on arrival once the total is known to be used up, until its window ends', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_TOTAL: '1/1m', TRUST_PROXY_HOPS: 1 }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      expect((await register(gateway, '198.51.100.1')).status).toBe(201);
      expect((await register(gateway, '198.51.100.2')).status).toBe(429);
      const onArrival = await send(`${gateway.url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json'], ['X-Forwarded-For', '198.51.100.3']], body: '[' });

      expect(onArrival.status).toBe(429);
      expect(onArrival.headers['ratelimit-policy']).toBe('"registrations_total";q=1;w=60');
      expect(gateway.authority.received).toHaveLength(1);
    });
  });

  it('does not count requests refused before the registration would be asked for (a bad body)', async () => {
    await withControlledGateway({ LIMIT_REGISTRATIONS_PER_IP: '1/1m' }, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      const bad = await send(`${gateway.url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: '[1]' });
      expect(bad.status).toBe(400);
      expect((await register(gateway)).status).toBe(201);
    });
  });
});

describe('LIMIT_AUTH_FAILURES_PER_IP', () => {
  let gateway: ControlledGateway;
  beforeEach(async () => {
    gateway = await startControlledGateway({ LIMIT_AUTH_FAILURES_PER_IP: '3/1m' });
  });
  afterEach(() => gateway.stop());

  it("counts Authlete's 401s and the gateway's own, then refuses the address before Authlete is asked", async () => {
    gateway.authority.answers(decision('UNAUTHORIZED', UNAUTHORIZED));
    expect((await read(gateway)).status).toBe(401);
    expect((await read(gateway, [])).status).toBe(401);
    expect((await read(gateway, [['Authorization', 'Basic dXNlcjpwYXNz']])).status).toBe(401);
    const asked = gateway.authority.received.length;

    const refused = await send(`${gateway.url}/register/42`, { method: 'DELETE', headers: [['Authorization', 'Bearer right-one']] });

    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-policy']).toBe('"auth_failures_per_ip";q=3;w=60');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(gateway.authority.received).toHaveLength(asked);
  });

  it("counts Authlete's BAD_REQUEST on a read or delete (a wrong token, with unauthorizedOnClientConfigSupported off)", async () => {
    gateway.authority.answers(decision('BAD_REQUEST', '{"error":"invalid_request","error_description":"from the authority"}'));
    for (let i = 0; i < 3; i++) expect((await read(gateway)).status).toBe(400);
    expect((await read(gateway)).status).toBe(429);
  });

  it("counts Authlete's BAD_REQUEST on an update too: with unauthorizedOnClientConfigSupported off, a PUT with a wrong token and valid metadata is refused so, and guessing through PUT would go unchecked", async () => {
    gateway.authority.answers(decision('BAD_REQUEST', '{"error":"invalid_request","error_description":"from the authority"}'));
    const update = () =>
      send(`${gateway.url}/register/42`, {
        method: 'PUT',
        headers: [['Authorization', 'Bearer wrong'], ['Content-Type', 'application/json']],
        body: '{"client_id":"42","redirect_uris":["https://client.example.org/cb"]}',
      });
    for (let i = 0; i < 3; i++) expect((await update()).status).toBe(400);
    expect((await update()).status).toBe(429);
  });

  it('does not count successful authentications', async () => {
    gateway.authority.answers(decision('OK', CLIENT_INFO));
    for (let i = 0; i < 5; i++) expect((await read(gateway)).status).toBe(200);
  });
});

describe('with every limit off', () => {
  it('never answers 429', async () => {
    await withControlledGateway({}, async (gateway) => {
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      for (let i = 0; i < 30; i++) expect((await register(gateway)).status).toBe(201);
    });
  });
});
