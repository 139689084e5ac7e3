import type { UpdateCommand } from '../../../src/domain/commands';
import type { AuthorityAnswer } from '../../../src/domain/authority-answer';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { jsonBody, send } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const CLIENT_INFO = '{"client_id":"42","client_name":"Updated","registration_access_token":"rat-42"}';
const METADATA = '{ "client_id": "42",\n  "client_name": "Updated" }';

describe('PUT /register/:clientId (update, RFC 7592 section 2.2)', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig());

  const put = (headers: ReadonlyArray<readonly [string, string]>, body: string = METADATA, id = '42') =>
    send(`${gateway().url}/register/${id}`, { method: 'PUT', headers, body });
  const authorised = (token = 'rat-42') => [['Authorization', `Bearer ${token}`], ['Content-Type', 'application/json']] as const;

  it.each([
    ['UPDATED', 200],
    ['BAD_REQUEST', 400],
    ['UNAUTHORIZED', 401],
    ['INTERNAL_SERVER_ERROR', 500],
  ] as const)('relays %s as %i with the authority content verbatim and no-store headers', async (action, status) => {
    const content = action === 'UPDATED' ? CLIENT_INFO : '{"error":"invalid_client_metadata","error_description":"no"}';
    authority.answers(decision(action, content));

    const response = await put(authorised());

    expect(response.status).toBe(status);
    expect(response.body).toBe(content);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
    if (action === 'UNAUTHORIZED') expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    else expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('asks the authority with the path client ID, the Bearer token and the body text exactly as sent', async () => {
    authority.answers(decision('UPDATED', CLIENT_INFO));

    await put(authorised('tok.en-_~+/=='), METADATA, 'client-7');

    expect(authority.received).toHaveLength(1);
    const command = authority.received[0] as UpdateCommand;
    expect(command.operation).toBe('update');
    expect(command.clientId).toBe('client-7');
    expect(command.registrationAccessToken.reveal()).toBe('tok.en-_~+/==');
    expect(command.metadataJson).toBe(METADATA);
  });

  it.each(['bearer', 'BEARER', 'BeArEr'])('reads the token whatever the case of the scheme (%s)', async (scheme) => {
    authority.answers(decision('UPDATED', CLIENT_INFO));
    const response = await put([['Authorization', `${scheme} rat-42`], ['Content-Type', 'application/json']]);
    expect(response.status).toBe(200);
    expect((authority.received[0] as UpdateCommand).registrationAccessToken.reveal()).toBe('rat-42');
  });

  it.each([
    ['no Authorization header', [['Content-Type', 'application/json']]],
    ['another scheme', [['Authorization', 'Basic cmF0OjQy'], ['Content-Type', 'application/json']]],
    ['an empty Bearer', [['Authorization', 'Bearer '], ['Content-Type', 'application/json']]],
  ] as const)('answers 401 with a Bearer challenge and never asks the authority, given %s', async (_case, headers) => {
    const response = await put(headers);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(jsonBody(response)).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
    expect(authority.received).toHaveLength(0);
  });

  it.each([
    ['timeout', { cause: 'timeout', timeoutMs: 2000 }, 504],
    ['unreachable', { cause: 'unreachable', code: 'ECONNREFUSED' }, 502],
    ['http_error', { cause: 'http_error', status: 401, resultCode: 'A001101', resultMessage: 'secret internals' }, 502],
    ['malformed_answer', { cause: 'malformed_answer', reason: 'unusable action' }, 502],
    ['unexpected_action', { cause: 'unexpected_action', action: 'CREATED' }, 502],
  ] as const)('answers %s from the authority with a JSON server_error, internals only in the log', async (cause, failure, status) => {
    authority.answers({ kind: 'failure', failure } as AuthorityAnswer);

    const response = await put([...authorised(), ['X-Request-Id', `req-${cause}`]]);

    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/json');
    expect(jsonBody(response)).toEqual({ error: 'server_error', error_description: expect.any(String) });
    expect(response.body).not.toMatch(/A001101|secret internals|ECONNREFUSED|unusable|CREATED|stack/);
    const logged = gateway().log.records().find((line) => line['requestId'] === `req-${cause}`);
    expect(logged).toMatchObject({ status, outcome: 'authority_unavailable', failure });
  });

  it('echoes a caller request ID and makes one up otherwise', async () => {
    authority.answers(decision('UPDATED', CLIENT_INFO));
    const given = await put([...authorised(), ['X-Request-Id', 'trace-abc.123']]);
    const made = await put(authorised());
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
