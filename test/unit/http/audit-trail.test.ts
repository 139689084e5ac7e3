import { startControlledGateway, type ControlledGateway } from '../../support/controlled-gateway';
import { decision } from '../../support/fake-authority';
import { send } from '../../support/http-client';

const CLIENT_INFO = '{"client_id":"42","client_secret":"s3cr3t-never-audit","registration_access_token":"rat-never-audit","software_id":"sw-7"}';
const METADATA = '{"redirect_uris":["https://client.example.org/cb"],"software_id":"sw-7","client_name":"Never Audit Me"}';
const UNAUTHORIZED = '{"error":"invalid_token","error_description":"from the authority"}';
const JSON_TYPE = ['Content-Type', 'application/json'] as const;
const BEARER = ['Authorization', 'Bearer rat-never-audit'] as const;

describe('AUDIT_LOG: the audit trail step', () => {
  let gateway: ControlledGateway;
  beforeAll(async () => {
    gateway = await startControlledGateway({ AUDIT_LOG: 'stdout', REGISTRATION_ACCESS: 'token', LIMIT_REGISTRATIONS_PER_IP: '1/1m' });
  });
  afterAll(() => gateway.stop());

  // The token policy refuses before the body is read, so those events carry no software_id.
  it('records each decision that changes or reveals a client and each refusal by policy, without credentials or metadata', async () => {
    const register = (token?: string) =>
      send(`${gateway.url}/register`, { method: 'POST', headers: [JSON_TYPE, ...(token ? [['Authorization', `Bearer ${token}`] as const] : [])], body: METADATA });
    gateway.authority.answers(decision('CREATED', CLIENT_INFO));
    await register();
    gateway.checker.answers({ kind: 'decision', action: 'FORBIDDEN', responseContent: 'Bearer error="insufficient_scope"' });
    await register('iat-never-audit');
    gateway.checker.answers({ kind: 'decision', action: 'OK' });
    await register('iat-never-audit');
    await register('iat-never-audit');
    gateway.authority.answers(decision('OK', CLIENT_INFO));
    await send(`${gateway.url}/register/42`, { method: 'GET', headers: [BEARER] });
    gateway.authority.answers(decision('UPDATED', CLIENT_INFO));
    await send(`${gateway.url}/register/42`, { method: 'PUT', headers: [BEARER, JSON_TYPE], body: METADATA });
    gateway.authority.answers(decision('UNAUTHORIZED', UNAUTHORIZED));
    await send(`${gateway.url}/register/42`, { method: 'PUT', headers: [BEARER, JSON_TYPE], body: METADATA });
    await send(`${gateway.url}/register/43`, { method: 'DELETE' });
    gateway.authority.answers(decision('DELETED'));
    await send(`${gateway.url}/register/42`, { method: 'DELETE', headers: [BEARER] });
    gateway.authority.answers(decision('BAD_REQUEST', UNAUTHORIZED));
    await send(`${gateway.url}/register/42`, { method: 'GET', headers: [BEARER] });

    const events = gateway.audit.events.map(({ event, operation, status, outcome, clientId, softwareId, limit }) => ({
      event, operation, status, outcome, clientId, softwareId, limit,
    }));
    expect(events).toEqual([
      { event: 'refused_by_token_policy', operation: 'register', status: 401, outcome: 'invalid_token', clientId: undefined, softwareId: undefined, limit: undefined },
      { event: 'refused_by_token_policy', operation: 'register', status: 403, outcome: 'insufficient_scope', clientId: undefined, softwareId: undefined, limit: undefined },
      { event: 'registered', operation: 'register', status: 201, outcome: 'created', clientId: '42', softwareId: 'sw-7', limit: undefined },
      { event: 'rate_limited', operation: 'register', status: 429, outcome: 'rate_limited', clientId: undefined, softwareId: undefined, limit: 'registrations_per_ip' },
      { event: 'read', operation: 'read', status: 200, outcome: 'ok', clientId: '42', softwareId: 'sw-7', limit: undefined },
      { event: 'updated', operation: 'update', status: 200, outcome: 'updated', clientId: '42', softwareId: 'sw-7', limit: undefined },
      { event: 'authentication_failed', operation: 'update', status: 401, outcome: 'unauthorized', clientId: '42', softwareId: 'sw-7', limit: undefined },
      { event: 'authentication_failed', operation: 'delete', status: 401, outcome: 'invalid_token', clientId: '43', softwareId: undefined, limit: undefined },
      { event: 'deleted', operation: 'delete', status: 204, outcome: 'deleted', clientId: '42', softwareId: undefined, limit: undefined },
    ]);
    for (const event of gateway.audit.events) {
      expect(event.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.clientIp).toBe('127.0.0.1');
    }
    const text = JSON.stringify(gateway.audit.events);
    for (const secret of ['never-audit', 'Never Audit Me', 'redirect_uris']) expect(text).not.toContain(secret);
  });
});
