import type { AuthorityAnswer } from '../../../src/domain/authority-answer';
import type { DeleteCommand, ReadCommand, RegisterCommand } from '../../../src/domain/commands';
import type { RegistrationAction } from '../../../src/domain/registration-action';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { jsonBody, send, type SentRequest } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const CLIENT_INFO = '{"client_id":"42","client_secret":"s3cr3t","registration_access_token":"rat-42"}';
const ERROR_CONTENT = '{"error":"invalid_request","error_description":"from the authority"}';
const METADATA = '{"redirect_uris":["https://client.example.org/cb"]}';
const BEARER = ['Authorization', 'Bearer rat-42'] as const;
const JSON_TYPE = ['Content-Type', 'application/json'] as const;

type Sent = { path: string } & SentRequest;

const REQUESTS = {
  register: { method: 'POST', path: '/register', headers: [JSON_TYPE], body: METADATA },
  read: { method: 'GET', path: '/register/42', headers: [BEARER] },
  delete: { method: 'DELETE', path: '/register/42', headers: [BEARER] },
} satisfies Record<string, Sent>;

// Every action each of these operations may return, with the status RFC 7591/7592 and Authlete give it.
const RELAYED: ReadonlyArray<readonly [keyof typeof REQUESTS, RegistrationAction, number]> = [
  ['register', 'CREATED', 201],
  ['register', 'BAD_REQUEST', 400],
  ['register', 'INTERNAL_SERVER_ERROR', 500],
  ['read', 'OK', 200],
  ['read', 'BAD_REQUEST', 400],
  ['read', 'UNAUTHORIZED', 401],
  ['read', 'INTERNAL_SERVER_ERROR', 500],
  ['delete', 'BAD_REQUEST', 400],
  ['delete', 'UNAUTHORIZED', 401],
  ['delete', 'INTERNAL_SERVER_ERROR', 500],
];

// Actions the operation can never produce: relaying them would answer the client with something meaningless.
const IMPOSSIBLE: ReadonlyArray<readonly [keyof typeof REQUESTS, RegistrationAction]> = [
  ['register', 'UNAUTHORIZED'],
  ['register', 'UPDATED'],
  ['read', 'CREATED'],
  ['read', 'DELETED'],
  ['delete', 'OK'],
  ['delete', 'UPDATED'],
];

describe('the registration lifecycle endpoints', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig());

  const call = ({ path, ...sent }: Sent) => send(`${gateway().url}${path}`, sent);

  it.each(RELAYED)('%s relays %s as %i with the content verbatim and no-store headers', async (operation, action, status) => {
    const content = status < 300 ? CLIENT_INFO : ERROR_CONTENT;
    authority.answers(decision(action, content));

    const response = await call(REQUESTS[operation]);

    expect(response.status).toBe(status);
    expect(response.body).toBe(content);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
    expect(response.headers['www-authenticate']).toBe(status === 401 ? 'Bearer error="invalid_token"' : undefined);
    expect(authority.received).toHaveLength(1);
    // Authlete's own 500 is Authlete failing, at warn as its other failures; `error` is kept for the gateway's own.
    const line = gateway().log.records().at(-1);
    if (action === 'INTERNAL_SERVER_ERROR') expect(line).toMatchObject({ level: 'warn', status: 500, msg: 'Authlete answered INTERNAL_SERVER_ERROR' });
    else expect(line).toMatchObject({ level: 'info', status, msg: 'request answered' });
  });

  it('answers DELETED with 204, no body and no Content-Type, but the no-store headers', async () => {
    authority.answers(decision('DELETED'));

    const response = await call(REQUESTS.delete);

    expect(response.status).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers['content-type']).toBeUndefined();
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
  });

  it.each(IMPOSSIBLE)('%s treats %s from the authority as its failure: 502, logged', async (operation, action) => {
    authority.answers(decision(action, CLIENT_INFO));

    const response = await call({ ...REQUESTS[operation], headers: [...REQUESTS[operation].headers, ['X-Request-Id', `impossible-${operation}-${action}`]] });

    expect(response.status).toBe(502);
    expect(jsonBody(response)).toEqual({ error: 'server_error', error_description: expect.any(String) });
    expect(response.body).not.toContain('s3cr3t');
    const line = gateway().log.records().find((record) => record['requestId'] === `impossible-${operation}-${action}`);
    expect(line).toMatchObject({ failure: { cause: 'unexpected_action', action } });
  });

  it('registers with the body text as sent and, when given, the initial access token', async () => {
    authority.answers(decision('CREATED', CLIENT_INFO));

    await call({ ...REQUESTS.register, headers: [JSON_TYPE, ['Authorization', 'Bearer initial-token']] });
    await call(REQUESTS.register);

    const [withToken, open] = authority.received as RegisterCommand[];
    expect(withToken?.metadataJson).toBe(METADATA);
    expect(withToken?.initialAccessToken?.reveal()).toBe('initial-token');
    expect(open).toEqual({ operation: 'register', metadataJson: METADATA, abandoned: expect.any(Function) });
    // The client waited for its answer: it never counted as gone.
    expect(open?.abandoned?.()).toBe(false);
  });

  it('reads and deletes the client named in the path, with the Bearer token', async () => {
    authority.answers((command) => (command.operation === 'read' ? decision('OK', CLIENT_INFO) : decision('DELETED')));

    await call({ ...REQUESTS.read, path: '/register/client.7' });
    await call({ ...REQUESTS.delete, path: '/register/client.7' });

    const [read, deleted] = authority.received as [ReadCommand, DeleteCommand];
    expect(read.operation).toBe('read');
    expect(read.clientId).toBe('client.7');
    expect(read.registrationAccessToken.reveal()).toBe('rat-42');
    expect(deleted.operation).toBe('delete');
    expect(deleted.clientId).toBe('client.7');
  });

  it.each([
    ['GET', '/register/42'],
    ['DELETE', '/register/42'],
    ['PUT', '/register/42'],
  ])('answers %s %s without a token 401 with a Bearer challenge, locally', async (method, path) => {
    const response = await call({ method, path, headers: [JSON_TYPE], body: method === 'PUT' ? '{}' : undefined } as Sent);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(jsonBody(response)).toMatchObject({ error: 'invalid_token' });
    expect(authority.received).toHaveLength(0);
  });

  it.each([
    ['GET', '/register', 'POST'],
    ['PUT', '/register', 'POST'],
    ['DELETE', '/register', 'POST'],
    ['POST', '/register/42', 'HEAD, GET, PUT, DELETE'],
    ['PATCH', '/register/42', 'HEAD, GET, PUT, DELETE'],
  ])('answers %s %s 405 with Allow: %s and a JSON body', async (method, path, allow) => {
    const response = await call({ method, path, headers: [BEARER] });

    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe(allow);
    expect(response.headers['content-type']).toBe('application/json');
    expect(jsonBody(response)).toEqual({ error: 'method_not_allowed', error_description: expect.any(String) });
    expect(authority.received).toHaveLength(0);
  });

  it.each([
    ['/register', 'POST'],
    ['/register/42', 'HEAD, GET, PUT, DELETE'],
  ])('answers OPTIONS %s 204 with Allow: %s and no body (RFC 9110 section 9.3.7), locally', async (path, allow) => {
    const response = await call({ method: 'OPTIONS', path, headers: [] });

    expect(response.status).toBe(204);
    expect(response.headers['allow']).toBe(allow);
    expect(response.headers['content-type']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toBe('');
    expect(authority.received).toHaveLength(0);
  });

  it.each(['/', '/registers', '/register/42/extra', '/REGISTER'])('answers an unknown path (%s) 404 in JSON', async (path) => {
    const response = await call({ method: 'GET', path, headers: [BEARER] });

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/json');
    expect(jsonBody(response)).toEqual({ error: 'not_found', error_description: expect.any(String) });
    expect(authority.received).toHaveLength(0);
  });

  it('answers an authority failure on any operation with a JSON server_error', async () => {
    const failure: AuthorityAnswer = { kind: 'failure', failure: { cause: 'timeout', timeoutMs: 2000 } };
    authority.answers(failure);
    for (const request of Object.values(REQUESTS)) {
      const response = await call(request);
      expect(response.status).toBe(504);
      expect(jsonBody(response)).toMatchObject({ error: 'server_error' });
    }
  });
});
