import { connect } from 'node:net';
import { TOKENS } from '../../../src/composition/tokens';
import type { Answer } from '../../../src/domain/authority-answer';
import type { IntrospectionAction } from '../../../src/domain/introspection-action';
import { startControlledGateway, withControlledGateway, type ControlledGateway } from '../../support/controlled-gateway';
import { decision } from '../../support/fake-authority';
import { jsonBody, rawExchange, send } from '../../support/http-client';

const METADATA = '{"redirect_uris":["https://client.example.org/cb"]}';
const CLIENT_INFO = '{"client_id":"42","client_secret":"s3cr3t","registration_access_token":"rat-42"}';
const AUTHLETE_CHALLENGE = 'Bearer error="insufficient_scope",error_description="[A056306] not covered",scope="client.register"';

function register(gateway: ControlledGateway, token?: string) {
  return send(`${gateway.url}/register`, {
    method: 'POST',
    headers: [['Content-Type', 'application/json'], ...(token === undefined ? [] : [['Authorization', `Bearer ${token}`] as const])],
    body: METADATA,
  });
}

function verdict(action: IntrospectionAction, responseContent?: string): Answer<IntrospectionAction> {
  return responseContent === undefined ? { kind: 'decision', action } : { kind: 'decision', action, responseContent };
}

describe('REGISTRATION_ACCESS=token: the initial access token policy step', () => {
  let gateway: ControlledGateway;
  beforeAll(async () => {
    gateway = await startControlledGateway({ REGISTRATION_ACCESS: 'token', REGISTRATION_TOKEN_SCOPES: 'client.register dcr' });
  });
  afterAll(() => gateway.stop());
  beforeEach(() => {
    gateway.authority.received.length = 0;
    gateway.checker.received.length = 0;
    gateway.authority.answers(decision('CREATED', CLIENT_INFO));
  });

  it('answers a registration without a token 401 with a Bearer challenge, asking neither introspection nor registration', async () => {
    const response = await register(gateway);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(jsonBody(response)).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
    expect(gateway.checker.received).toHaveLength(0);
    expect(gateway.authority.received).toHaveLength(0);
  });

  it('asks introspection with the token and REGISTRATION_TOKEN_SCOPES, then registers passing the token on', async () => {
    gateway.checker.answers(verdict('OK'));

    const response = await register(gateway, 'iat-123');

    expect(response.status).toBe(201);
    expect(gateway.checker.received).toEqual([{ token: 'iat-123', scopes: ['client.register', 'dcr'] }]);
    expect(gateway.authority.received).toHaveLength(1);
    const [command] = gateway.authority.received;
    expect(command?.operation === 'register' && command.initialAccessToken?.reveal()).toBe('iat-123');
  });

  it.each([
    ['UNAUTHORIZED', 401, 'invalid_token', 'Bearer error="invalid_token",error_description="[A056304] gone"'],
    ['FORBIDDEN', 403, 'insufficient_scope', AUTHLETE_CHALLENGE],
    ['BAD_REQUEST', 400, 'invalid_request', 'Bearer error="invalid_request"'],
    ['INTERNAL_SERVER_ERROR', 500, 'server_error', 'Bearer error="server_error"'],
  ] as const)('introspection %s: %i with Authlete\'s challenge as WWW-Authenticate and a JSON error; no registration', async (action, status, error, challenge) => {
    gateway.checker.answers(verdict(action, challenge));

    const response = await register(gateway, 'iat-123');

    expect(response.status).toBe(status);
    expect(response.headers['www-authenticate']).toBe(challenge);
    expect(response.headers['content-type']).toBe('application/json');
    expect(jsonBody(response)).toEqual({ error, error_description: expect.any(String) });
    expect(gateway.authority.received).toHaveLength(0);
    // Authlete's own 500 is Authlete failing, at warn; `error` is kept for the gateway's own 5xx.
    if (status === 500) expect(gateway.log.records().at(-1)).toMatchObject({ level: 'warn', status, msg: 'Authlete answered INTERNAL_SERVER_ERROR' });
  });

  it('counts introspection calls by result in the metrics, with the registration calls (operation "introspect")', async () => {
    const counts = async (): Promise<[number, number]> => {
      const page = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
      const count = (result: string) =>
        Number(new RegExp(`^dcr_authority_calls_duration_seconds_count\\{operation="introspect",result="${result}"\\} (\\d+)$`, 'm').exec(page)?.[1] ?? 0);
      return [count('FORBIDDEN'), count('timeout')];
    };
    const [forbiddenBefore, timeoutBefore] = await counts();
    gateway.checker.answers(verdict('FORBIDDEN', AUTHLETE_CHALLENGE));
    await register(gateway, 'iat-123');
    await register(gateway, 'iat-123');
    gateway.checker.answers({ kind: 'failure', failure: { cause: 'timeout', timeoutMs: 2000 } });
    await register(gateway, 'iat-123');

    expect(await counts()).toEqual([forbiddenBefore + 2, timeoutBefore + 1]);
  });

  it.each([
    ['a header-splitting CR LF', 'Bearer error="invalid_token"\r\nSet-Cookie: a=b'],
    ['another scheme', 'Basic realm="x"'],
    ['non-ASCII text', 'Bearer error="invalid_token",error_description="héllo"'],
    ['an oversized value', `Bearer error="invalid_token",error_description="${'x'.repeat(2000)}"`],
    ['no challenge at all', undefined],
  ])('falls back to its own fixed Bearer challenge when Authlete\'s is %s', async (_what, challenge) => {
    gateway.checker.answers(verdict('FORBIDDEN', challenge));

    const response = await register(gateway, 'iat-123');

    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBe('Bearer error="insufficient_scope"');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    [{ cause: 'timeout', timeoutMs: 2000 } as const, 504],
    [{ cause: 'unreachable', code: 'ECONNREFUSED' } as const, 502],
    [{ cause: 'malformed_answer', reason: 'unusable action' } as const, 502],
    [{ cause: 'unexpected_action', action: 'CREATED' } as const, 502],
  ])('an unusable introspection answer (%o) gets the same %i as a failed registration call', async (failure, status) => {
    gateway.checker.answers({ kind: 'failure', failure });

    const response = await register(gateway, 'iat-123');

    expect(response.status).toBe(status);
    expect(jsonBody(response)).toEqual({ error: 'server_error', error_description: expect.any(String) });
    expect(gateway.authority.received).toHaveLength(0);
  });

  it.each([
    [{ cause: 'rate_limited', status: 429, retryAfterSeconds: 300 } as const, '300'],
    [{ cause: 'rate_limited', status: 503, retryAfterSeconds: 7 } as const, '7'],
    [{ cause: 'overloaded', retryAfterSeconds: 1 } as const, '1'],
    [{ cause: 'circuit_open', retryAfterSeconds: 30 } as const, '30'],
  ])('introspection refused for load (%o) gets 503 with Retry-After %s, as a registration call does', async (failure, retryAfter) => {
    gateway.checker.answers({ kind: 'failure', failure });

    const response = await register(gateway, 'iat-123');

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe(retryAfter);
    expect(jsonBody(response)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(gateway.authority.received).toHaveLength(0);
  });

  it('leaves management requests alone: their registration access tokens are not introspected', async () => {
    gateway.authority.answers(decision('OK', CLIENT_INFO));

    const response = await send(`${gateway.url}/register/42`, { method: 'GET', headers: [['Authorization', 'Bearer rat-42']] });

    expect(response.status).toBe(200);
    expect(gateway.checker.received).toHaveLength(0);
  });
});

describe('REGISTRATION_ACCESS=token when introspection fails', () => {
  it('is no refusal by the policy: logged and counted as authority_unavailable (or internal_server_error), and not audited', async () => {
    await withControlledGateway({ REGISTRATION_ACCESS: 'token', AUDIT_LOG: 'stdout' }, async (gateway) => {
      // Before, an outage of introspection was audited as refused_by_token_policy and counted as refused.
      gateway.checker.answers({ kind: 'failure', failure: { cause: 'timeout', timeoutMs: 2000 } });
      expect((await register(gateway, 'iat-1')).status).toBe(504);
      gateway.checker.answers(verdict('INTERNAL_SERVER_ERROR', 'Bearer error="server_error"'));
      expect((await register(gateway, 'iat-2')).status).toBe(500);
      gateway.checker.answers(verdict('FORBIDDEN', AUTHLETE_CHALLENGE));
      expect((await register(gateway, 'iat-3')).status).toBe(403);

      const lines = gateway.log.records().filter((line) => line['operation'] === 'register');
      expect(lines.map((line) => [line['status'], line['outcome'], line['refusedBy']])).toEqual([
        [504, 'authority_unavailable', undefined],
        [500, 'internal_server_error', undefined],
        [403, 'refused', 'token_policy'],
      ]);
      expect(gateway.audit.events.map((event) => [event.event, event.status])).toEqual([['refused_by_token_policy', 403]]);
      const page = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
      expect(page).toMatch(/dcr_requests_duration_seconds_count\{operation="register",outcome="authority_unavailable",status="504"\} 1/);
      expect(page).toMatch(/dcr_requests_duration_seconds_count\{operation="register",outcome="internal_server_error",status="500"\} 1/);
    });
  });
});

describe('REGISTRATION_ACCESS=open (the default)', () => {
  let gateway: ControlledGateway;
  beforeAll(async () => {
    gateway = await startControlledGateway({});
    gateway.authority.answers(decision('CREATED', CLIENT_INFO));
  });
  afterAll(() => gateway.stop());

  it('registers without a token and never asks introspection', async () => {
    expect((await register(gateway)).status).toBe(201);
    expect((await register(gateway, 'anything')).status).toBe(201);
    expect(gateway.checker.received).toHaveLength(0);
  });
});

describe('REGISTRATION_ACCESS=token with LIMIT_AUTH_FAILURES_PER_IP', () => {
  it('refuses an address that keeps presenting rejected initial access tokens, before introspection is asked', async () => {
    await withControlledGateway({ REGISTRATION_ACCESS: 'token', LIMIT_AUTH_FAILURES_PER_IP: '2/1m' }, async (gateway) => {
      gateway.checker.answers(verdict('UNAUTHORIZED', 'Bearer error="invalid_token"'));
      expect((await register(gateway, 'guess-1')).status).toBe(401);
      expect((await register(gateway, 'guess-2')).status).toBe(401);
      const refused = await register(gateway, 'guess-3');

      expect(refused.status).toBe(429);
      expect(refused.headers['ratelimit-policy']).toBe('"auth_failures_per_ip";q=2;w=60');
      expect(gateway.checker.received.map(({ token }) => token)).toEqual(['guess-1', 'guess-2']);
    });
  });
});

describe('REGISTRATION_ACCESS=token and the places in front of Authlete (AUTHLETE_MAX_PENDING=1)', () => {
  it('holds a place while the token is introspected, and gives it back before the body is read', () =>
    withControlledGateway({ REGISTRATION_ACCESS: 'token', AUTHLETE_MAX_PENDING: 1, BODY_TIMEOUT_MS: 1_000 }, async (gateway) => {
      const admitted = (): number => gateway.container.get(TOKENS.CallGuard).load().admitted;
      const held: Array<(answer: Answer<IntrospectionAction>) => void> = [];
      gateway.checker.answers(() => new Promise((resolve) => held.push(resolve)));
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));

      // The introspection of a registration that announces its body, held back: it holds the one place.
      const { socket: slow, received } = rawExchange(
        gateway.url,
        'POST /register HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer iat-slow\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n',
      );
      while (held.length === 0) await new Promise((next) => setImmediate(next));
      expect(admitted()).toBe(1);
      expect((await register(gateway, 'iat-other')).status).toBe(503);

      // Granted: the body is asked for, and while it trickles in no place is held, so another client registers.
      held.splice(0).forEach((resolve) => resolve(verdict('OK')));
      await received(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
      slow.write('{"redirect_uris":');
      expect(admitted()).toBe(0);
      gateway.checker.answers(verdict('OK'));
      expect((await register(gateway, 'iat-other')).status).toBe(201);
      expect(await received(/\}$/)).toMatch(/HTTP\/1\.1 408 /);
      slow.destroy();
    }));

  it('gives the place back at once when the client hangs up while its token is introspected', () =>
    withControlledGateway({ REGISTRATION_ACCESS: 'token', AUTHLETE_MAX_PENDING: 1 }, async (gateway) => {
      const admitted = (): number => gateway.container.get(TOKENS.CallGuard).load().admitted;
      const held: Array<(answer: Answer<IntrospectionAction>) => void> = [];
      gateway.checker.answers(() => new Promise((resolve) => held.push(resolve)));
      const { port } = new URL(gateway.url);
      const gone = connect(Number(port), '127.0.0.1', () =>
        gone.write(`POST /register HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer iat-gone\r\nContent-Type: application/json\r\nContent-Length: ${METADATA.length}\r\n\r\n${METADATA}`),
      );
      gone.on('error', () => undefined);
      while (held.length === 0) await new Promise((next) => setImmediate(next));
      expect(admitted()).toBe(1);
      gone.destroy();
      const deadline = Date.now() + 2_000;
      while (admitted() !== 0 && Date.now() < deadline) await new Promise((next) => setTimeout(next, 5));
      // Still being introspected, yet the place is free for a client that is there.
      expect(admitted()).toBe(0);
      held.splice(0).forEach((resolve) => resolve(verdict('OK')));
      gateway.checker.answers(verdict('OK'));
      gateway.authority.answers(decision('CREATED', CLIENT_INFO));
      expect((await register(gateway, 'iat-there')).status).toBe(201);
    }));
});
