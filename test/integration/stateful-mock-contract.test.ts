import { z } from 'zod';
import { startStatefulMock, type RunningStatefulMock } from '../../mock/stateful/stateful-mock';
import { basicCredentials } from '../../src/adapters/authlete/authlete-api-client';
import { AUTHLETE_SPEC, AUTHLETE_V2_SPEC } from '../support/paths.mts';
import { startPrismProxy, type RunningPrism } from '../support/prism-launcher';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';
import { startScriptedAuthlete, type ScriptedAuthlete } from '../support/scripted-authlete.mts';

/**
 * The stateful mock's answers, checked against openapi/authlete.yaml by Prism in proxy mode: with --errors,
 * Prism turns any answer that breaks the contract into a 500 and lists the breaches in `sl-violations`.
 * Between Prism and the mocks sits a proxy that picks the upstream by service ID: a mock with
 * unauthorizedOnClientConfigSupported on, one with it off, and a scripted Authlete that sends a mock's answer
 * broken on purpose, to show that a broken answer is caught. The same mocks answer API v2 calls, checked against
 * openapi/authlete-v2.yaml; v2 paths name no service, so every call also names it in a test-only header.
 */

const SERVICE_TOKEN = 'contract-service-token';
const API_KEY = 'contract-api-key';
const API_SECRET = 'contract-api-secret';
const SERVICE_HEADER = 'x-test-service';
const STRICT_SERVICE = 'svc-unauthorized-on';
const LENIENT_SERVICE = 'svc-unauthorized-off';
const BROKEN_SERVICE = 'svc-broken-answers';

type Tamper = (answer: Record<string, unknown>) => Record<string, unknown>;

const answerShape = z.record(z.string(), z.unknown());

interface Checked {
  readonly status: number;
  readonly violations: string | null;
  readonly body: Record<string, unknown>;
}

const clientInfoShape = z.object({ client_id: z.string(), registration_access_token: z.string(), client_secret: z.string() });

interface Version {
  readonly version: 'v3' | 'v2';
  readonly spec: string;
  /** The call's path; v2 names no service. */
  readonly path: (which: string, serviceId: string) => string;
  /** The service credential, or a wrong one. */
  readonly authorization: (right: boolean) => string;
}

const VERSIONS: readonly Version[] = [
  {
    version: 'v3',
    spec: AUTHLETE_SPEC,
    path: (which, serviceId) => `/api/${serviceId}/client/${which}`,
    authorization: (right) => `Bearer ${right ? SERVICE_TOKEN : 'not-the-service-token'}`,
  },
  {
    version: 'v2',
    spec: AUTHLETE_V2_SPEC,
    path: (which) => `/api/client/${which}`,
    authorization: (right) => basicCredentials(API_KEY, right ? API_SECRET : 'not-the-api-secret'),
  },
];

describe.each(VERSIONS)('the stateful mock honours the $version contract (Prism proxy with --errors in front of it)', ({ version, spec, path, authorization }) => {
  let strict: RunningStatefulMock;
  let lenient: RunningStatefulMock;
  let broken: ScriptedAuthlete;
  let router: RecordingProxy;
  let prism: RunningPrism;

  beforeAll(async () => {
    const options = {
      managementBaseUrl: 'https://as.example.com/register',
      serviceAccessToken: SERVICE_TOKEN,
      serviceApiKey: API_KEY,
      serviceApiSecret: API_SECRET,
    } as const;
    strict = await startStatefulMock({ ...options, serviceId: STRICT_SERVICE });
    lenient = await startStatefulMock({ ...options, serviceId: LENIENT_SERVICE, unauthorizedOnClientConfigSupported: false });
    broken = await startScriptedAuthlete({ kind: 'hold' });
    const upstreams: Readonly<Record<string, string>> = { [STRICT_SERVICE]: strict.url, [LENIENT_SERVICE]: lenient.url, [BROKEN_SERVICE]: broken.url };
    router = await startRecordingProxy((call) => {
      const named = call.headers[SERVICE_HEADER];
      return upstreams[typeof named === 'string' ? named : ''] ?? strict.url;
    });
    prism = await startPrismProxy(router.url, { spec });
  }, 90_000);
  afterAll(async () => {
    await prism?.stop();
    await router?.close();
    await broken?.close();
    await strict?.close();
    await lenient?.close();
  });

  type Endpoint = 'registration' | 'registration/get' | 'registration/update' | 'registration/delete';

  async function call(which: Endpoint, body: Record<string, string>, { serviceId = STRICT_SERVICE, rightCredentials = true } = {}): Promise<Checked> {
    const response = await fetch(`${prism.url}${path(which, serviceId)}`, {
      method: 'POST',
      headers: { Authorization: authorization(rightCredentials), 'Content-Type': 'application/json', [SERVICE_HEADER]: serviceId },
      body: JSON.stringify(body),
      // Prism 5.16 can hang on a malformed request; a bound keeps a failure a failure, not a stall.
      signal: AbortSignal.timeout(10_000),
    });
    const parsed = answerShape.parse(await response.json());
    return { status: response.status, violations: response.headers.get('sl-violations'), body: parsed };
  }

  /** A decision that Prism found within the contract, with the expected action. */
  async function decision(which: Endpoint, body: Record<string, string>, action: string, serviceId = STRICT_SERVICE): Promise<Record<string, unknown>> {
    const answer = await call(which, body, { serviceId });
    expect({ status: answer.status, violations: answer.violations, action: answer.body['action'] }).toEqual({ status: 200, violations: null, action });
    return answer.body;
  }

  function errorOf(answer: Record<string, unknown>): unknown {
    const content = answer['responseContent'];
    return typeof content === 'string' ? answerShape.parse(JSON.parse(content))['error'] : undefined;
  }

  const WEB = { client_name: 'Contract Client', redirect_uris: ['https://client.example.org/cb'] };

  it('answers a whole client lifecycle, and every refusal, within the contract', async () => {
    const created = await decision('registration', { json: JSON.stringify(WEB), token: 'initial-access-token' }, 'CREATED');
    const info = clientInfoShape.parse(JSON.parse(String(created['responseContent'])));
    const clientId = info.client_id;
    const token = info.registration_access_token;
    const manage = { clientId, token };

    await decision('registration/get', manage, 'OK');
    await decision('registration/update', { ...manage, json: JSON.stringify({ ...WEB, client_id: clientId, client_name: 'Renamed' }) }, 'UPDATED');

    expect(errorOf(await decision('registration', { json: JSON.stringify({ redirect_uris: ['/relative'] }) }, 'BAD_REQUEST'))).toBe('invalid_redirect_uri');
    expect(errorOf(await decision('registration', { json: '[]' }, 'BAD_REQUEST'))).toBe('invalid_client_metadata');
    expect(errorOf(await decision('registration/update', { ...manage, json: JSON.stringify(WEB) }, 'BAD_REQUEST'))).toBe('invalid_request');
    expect(errorOf(await decision('registration/update', { ...manage, json: JSON.stringify({ ...WEB, client_id: clientId, client_secret: 'wrong' }) }, 'BAD_REQUEST'))).toBe(
      'invalid_client_metadata',
    );
    expect(errorOf(await decision('registration/get', { clientId, token: 'wrong-token' }, 'UNAUTHORIZED'))).toBe('invalid_token');
    expect(errorOf(await decision('registration/update', { clientId, token: 'wrong-token', json: '{}' }, 'UNAUTHORIZED'))).toBe('invalid_token');
    expect(errorOf(await decision('registration/delete', { clientId, token: 'wrong-token' }, 'UNAUTHORIZED'))).toBe('invalid_token');

    const deleted = await decision('registration/delete', manage, 'DELETED');
    expect(deleted).not.toHaveProperty('responseContent');
    await decision('registration/get', manage, 'UNAUTHORIZED');
    await decision('registration/update', { ...manage, json: JSON.stringify({ ...WEB, client_id: clientId }) }, 'UNAUTHORIZED');
    await decision('registration/delete', manage, 'UNAUTHORIZED');
    expect(strict.clientCount()).toBe(0);
  });

  it('answers BAD_REQUEST for read, update and delete within the contract when unauthorizedOnClientConfigSupported is off', async () => {
    const created = await decision('registration', { json: JSON.stringify(WEB) }, 'CREATED', LENIENT_SERVICE);
    const { client_id: clientId } = clientInfoShape.parse(JSON.parse(String(created['responseContent'])));
    const wrong = { clientId, token: 'wrong-token' };

    expect(errorOf(await decision('registration/get', wrong, 'BAD_REQUEST', LENIENT_SERVICE))).toBe('invalid_request');
    expect(errorOf(await decision('registration/update', { ...wrong, json: '{}' }, 'BAD_REQUEST', LENIENT_SERVICE))).toBe('invalid_request');
    expect(errorOf(await decision('registration/delete', wrong, 'BAD_REQUEST', LENIENT_SERVICE))).toBe('invalid_request');
    expect(lenient.clientCount()).toBe(1);
  });

  it('answers introspection of the tokens it minted (OK, FORBIDDEN, UNAUTHORIZED) within the contract', async () => {
    const minted = await fetch(`${strict.url}/mock/access-tokens`, { method: 'POST', body: '{"scope":"client.register"}' });
    const { access_token: token } = z.object({ access_token: z.string() }).parse(await minted.json());
    const introspect = async (body: unknown): Promise<Checked> => {
      const response = await fetch(`${prism.url}${version === 'v3' ? `/api/${STRICT_SERVICE}/` : '/api/'}auth/introspection`, {
        method: 'POST',
        headers: { Authorization: authorization(true), 'Content-Type': 'application/json', [SERVICE_HEADER]: STRICT_SERVICE },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: response.status, violations: response.headers.get('sl-violations'), body: answerShape.parse(await response.json()) };
    };

    const verdicts = [
      await introspect({ token, scopes: ['client.register'] }),
      await introspect({ token, scopes: ['client.register', 'admin'] }),
      await introspect({ token: 'never-minted', scopes: ['client.register'] }),
    ];

    expect(verdicts.map(({ status, violations, body }) => [status, violations, body['action']])).toEqual([
      [200, null, 'OK'],
      [200, null, 'FORBIDDEN'],
      [200, null, 'UNAUTHORIZED'],
    ]);
  });

  // v2 has no service ID in its paths, so "another service" is a v3 failure only.
  const callFailures: ReadonlyArray<readonly [string, number, { readonly serviceId?: string; readonly rightCredentials?: boolean }]> = [
    ['wrong service credentials', 401, { rightCredentials: false }],
    ...(version === 'v3' ? [['another service', 403, { serviceId: 'svc-someone-else' }] as const] : []),
  ];
  it.each(callFailures)('fails a call with %s with the contract answer (HTTP %i)', async (_what, status, override) => {
    const answer = await call('registration/get', { clientId: '1', token: 't' }, override);
    expect(answer.status).toBe(status);
    expect(answer.violations).toBeNull();
    expect(answer.body).toEqual({ resultCode: expect.any(String), resultMessage: expect.any(String) });
  });

  /** A read answer the strict mock really gave, for a client registered for the purpose, and the call that got it. */
  async function genuineRead(): Promise<{ readonly call: Record<string, string>; readonly answer: Record<string, unknown> }> {
    const created = await decision('registration', { json: JSON.stringify(WEB) }, 'CREATED');
    const { client_id: clientId, registration_access_token: token } = clientInfoShape.parse(JSON.parse(String(created['responseContent'])));
    return { call: { clientId, token }, answer: await decision('registration/get', { clientId, token }, 'OK') };
  }

  // The checks above mean something only if Prism reports a broken answer: each tampering here must be caught.
  it.each<[string, Tamper]>([
    ['an action outside the endpoint enum', (answer) => ({ ...answer, action: 'CREATED' })],
    ['no resultCode', ({ resultCode: _dropped, ...rest }) => rest],
    ['responseContent that is not a string', (answer) => ({ ...answer, responseContent: { error: 'invalid_token' } })],
    ['a clientId that is not an integer', (answer) => ({ ...answer, client: { clientId: 'abc' } })],
  ])('is caught by Prism when an answer has %s', async (_what, tamper) => {
    const read = await genuineRead();
    broken.behave({ kind: 'answer', status: 200, body: JSON.stringify(tamper(read.answer)) });
    const answer = await call('registration/get', read.call, { serviceId: BROKEN_SERVICE });
    expect(answer.status).toBe(500);
    expect(answer.violations).not.toBeNull();
  });

  it('lets the same answer through untampered, so each breach above is the tampering', async () => {
    const read = await genuineRead();
    broken.behave({ kind: 'answer', status: 200, body: JSON.stringify(read.answer) });
    await decision('registration/get', read.call, 'OK', BROKEN_SERVICE);
  });
});
