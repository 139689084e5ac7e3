import { startGatewayBehindContract, type GatewayBehindContract } from '../support/gateway-contract';
import { send, type SentRequest } from '../support/http-client';
import { startScriptedAuthlete, updatedAnswer, type Script, type ScriptedAuthlete } from '../support/scripted-authlete.mts';

/**
 * Every answer of the error tables that an operation of openapi/dcr-gateway.yaml can give, sent through Prism
 * validating against it (--errors): status, body schema and headers. Two kinds stay out, sent by other tests
 * directly: a body that is not well-formed JSON (Prism 5.16 never answers such a request) and answers outside
 * every operation (404, 405, 501, the parser's 400/408/431: Prism answers those itself).
 */

const TIMEOUT_MS = 300;
const JSON_TYPE = ['Content-Type', 'application/json'] as const;
const TOKEN = ['Authorization', 'Bearer rat-42'] as const;
const CLIENT = { client_id: '42', client_name: 'ok', registration_access_token: 'rat-42', registration_client_uri: 'https://as.example.com/register/42' };
const decision = (action: string, content: string): Script => ({
  kind: 'answer',
  status: 200,
  body: JSON.stringify({ resultCode: 'A213901', resultMessage: 'scripted', action, responseContent: content }),
});

interface Case {
  readonly what: string;
  readonly path: string;
  readonly request: SentRequest;
  readonly status: number;
  /** How Authlete answers, when the request reaches it. */
  readonly authlete?: Script;
  readonly header?: readonly [string, RegExp];
}

const CASES: readonly Case[] = [
  { what: 'a body that is an array', path: '/register', request: { method: 'POST', headers: [JSON_TYPE], body: '[1]' }, status: 400 },
  { what: 'no body', path: '/register', request: { method: 'POST', headers: [JSON_TYPE] }, status: 400 },
  {
    what: 'a malformed Authorization header',
    path: '/register',
    request: { method: 'POST', headers: [JSON_TYPE, ['Authorization', 'Bearer a b']], body: '{}' },
    status: 400,
    header: ['www-authenticate', /^Bearer error="invalid_request"/],
  },
  { what: 'a token in the query', path: '/register/42?access_token=rat-42', request: { method: 'GET' }, status: 400 },
  { what: 'a client ID no client can have', path: `/register/${'x'.repeat(256)}`, request: { method: 'GET', headers: [TOKEN] }, status: 400 },
  { what: 'no token', path: '/register/42', request: { method: 'GET' }, status: 401, header: ['www-authenticate', /^Bearer$/] },
  { what: 'Basic credentials', path: '/register/42', request: { method: 'DELETE', headers: [['Authorization', 'Basic eDp5']] }, status: 401, header: ['www-authenticate', /^Bearer$/] },
  { what: 'a body over the limit', path: '/register', request: { method: 'POST', headers: [JSON_TYPE], body: `{"client_name":"${'a'.repeat(70_000)}"}` }, status: 413 },
  { what: 'text/plain', path: '/register', request: { method: 'POST', headers: [['Content-Type', 'text/plain']], body: '{}' }, status: 415 },
  { what: 'JSON in Latin-1', path: '/register', request: { method: 'POST', headers: [['Content-Type', 'application/json; charset=iso-8859-1']], body: '{}' }, status: 415 },
  {
    what: 'an unknown Content-Encoding',
    path: '/register/42',
    request: { method: 'PUT', headers: [JSON_TYPE, TOKEN, ['Content-Encoding', 'compress']], body: '{}' },
    status: 415,
  },
  {
    what: "Authlete's INTERNAL_SERVER_ERROR, relayed",
    path: '/register/42',
    request: { method: 'PUT', headers: [JSON_TYPE, TOKEN], body: '{"client_id":"42"}' },
    authlete: decision('INTERNAL_SERVER_ERROR', '{"error":"server_error","error_description":"scripted"}'),
    status: 500,
  },
  {
    what: "Authlete's BAD_REQUEST, relayed",
    path: '/register/42',
    request: { method: 'PUT', headers: [JSON_TYPE, TOKEN], body: '{"client_id":"42"}' },
    authlete: decision('BAD_REQUEST', '{"error":"invalid_client_metadata","error_description":"scripted"}'),
    status: 400,
  },
  {
    what: 'Authlete refusing the gateway',
    path: '/register/42',
    request: { method: 'GET', headers: [TOKEN] },
    authlete: { kind: 'answer', status: 401, body: '{"resultCode":"A001101","resultMessage":"scripted"}' },
    status: 502,
  },
  { what: 'a silent Authlete', path: '/register/42', request: { method: 'DELETE', headers: [TOKEN] }, authlete: { kind: 'hold' }, status: 504 },
  {
    what: 'an update Authlete accepts',
    path: '/register/42',
    request: { method: 'PUT', headers: [JSON_TYPE, TOKEN], body: '{"client_id":"42"}' },
    authlete: { kind: 'answer', ...updatedAnswer(JSON.stringify(CLIENT)) },
    status: 200,
  },
  { what: 'OPTIONS on the registration endpoint', path: '/register', request: { method: 'OPTIONS' }, status: 204, header: ['allow', /^POST$/] },
  { what: 'OPTIONS on a client', path: '/register/42', request: { method: 'OPTIONS' }, status: 204, header: ['allow', /GET, PUT, DELETE/] },
  { what: 'liveness', path: '/health/live', request: { method: 'GET' }, status: 200 },
  { what: 'readiness', path: '/health/ready', request: { method: 'GET' }, status: 200 },
  { what: 'metrics', path: '/metrics', request: { method: 'GET' }, status: 200 },
];

describe('the built gateway answers within openapi/dcr-gateway.yaml (Prism proxy with --errors in front of it)', () => {
  let authlete: ScriptedAuthlete;
  let gateway: GatewayBehindContract;

  beforeAll(async () => {
    authlete = await startScriptedAuthlete({ kind: 'hold' });
    gateway = await startGatewayBehindContract({
      AUTHLETE_BASE_URL: authlete.url,
      AUTHLETE_SERVICE_ID: '715948317',
      AUTHLETE_SERVICE_ACCESS_TOKEN: 'contract-service-token',
      AUTHLETE_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await authlete?.close();
  });

  it.each(CASES)('$what: $status, as described', async ({ path, request, status, authlete: script, header }) => {
    authlete.behave(script ?? { kind: 'hold' });
    const answer = await send(`${gateway.url}${path}`, request);

    expect({ status: answer.status, violations: gateway.violations() }).toEqual({ status, violations: [] });
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['pragma']).toBe('no-cache');
    if (header !== undefined) expect(answer.headers[header[0]]).toMatch(header[1]);
  });

  // The table above means something only if a breach is caught: the same proxy refuses an answer that lacks a header it promises.
  it('is caught by the proxy when an answer breaks the description', async () => {
    authlete.behave({ kind: 'answer', ...updatedAnswer('{"client_id":"42"}') });
    const answer = await send(`${gateway.url}/register/42`, { method: 'PUT', headers: [JSON_TYPE, TOKEN], body: '{"client_id":"42"}' });
    // A client information response without registration_access_token and registration_client_uri (RFC 7592 section 3).
    expect(answer.status).toBe(500);
    expect(gateway.violations()).toHaveLength(1);
  });
});
