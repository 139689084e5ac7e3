import type { Container } from 'inversify';
import type { Middleware } from 'openapi-fetch';
import { basicCredentials } from '../../src/adapters/authlete/authlete-api-client';
import { createContainer } from '../../src/composition/container';
import { TOKENS } from '../../src/composition/tokens';
import type { RegistrationCommand } from '../../src/domain/commands';
import type { IntrospectionAction } from '../../src/domain/introspection-action';
import type { Operation } from '../../src/domain/operation';
import type { RegistrationOutcome } from '../../src/domain/outcome';
import { Secret } from '../../src/domain/secret';
import { AUTHLETE_V2_SPEC } from '../support/paths.mts';
import { preferExample } from '../support/prefer-example';
import { startPrismMock, type RunningPrism } from '../support/prism-launcher';
import { prismUrl } from '../support/prism-url';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';
import { SERVICE_API_KEY, SERVICE_API_SECRET, SERVICE_ID, SERVICE_TOKEN, testConfig, V2_ACCOUNT } from '../support/test-config';

const CLIENT_ID = '5899463614448063';
const TOKEN = 'R3gAcc3ssT0ken-created-Qm9Yd2p8ZkLx';
const METADATA = '{"client_id":"5899463614448063","redirect_uris":["https://client.example.org/callback2"]}';

const COMMANDS: { [O in Operation]: Extract<RegistrationCommand, { operation: O }> } = {
  register: { operation: 'register', metadataJson: METADATA, initialAccessToken: new Secret('initial-access-token') },
  read: { operation: 'read', clientId: CLIENT_ID, registrationAccessToken: new Secret(TOKEN) },
  update: { operation: 'update', clientId: CLIENT_ID, registrationAccessToken: new Secret(TOKEN), metadataJson: METADATA },
  delete: { operation: 'delete', clientId: CLIENT_ID, registrationAccessToken: new Secret(TOKEN) },
};

// What Authlete must receive for each command: the path after the version's prefix, and the request body of the contract.
const EXPECTED_CALLS: { [O in Operation]: { path: string; body: Record<string, string> } } = {
  register: { path: 'client/registration', body: { json: METADATA, token: 'initial-access-token' } },
  read: { path: 'client/registration/get', body: { clientId: CLIENT_ID, token: TOKEN } },
  update: { path: 'client/registration/update', body: { clientId: CLIENT_ID, token: TOKEN, json: METADATA } },
  delete: { path: 'client/registration/delete', body: { clientId: CLIENT_ID, token: TOKEN } },
};

// Every example openapi/authlete.yaml names per endpoint, and the outcome and OAuth error it must become.
const EXAMPLES: ReadonlyArray<readonly [Operation, string, RegistrationOutcome['kind'], string | undefined]> = [
  ['register', 'created', 'created', undefined],
  ['register', 'bad_request', 'bad_request', 'invalid_redirect_uri'],
  ['register', 'internal_server_error', 'internal_server_error', 'server_error'],
  ['read', 'ok', 'ok', undefined],
  ['read', 'bad_request', 'bad_request', 'invalid_request'],
  ['read', 'unauthorized', 'unauthorized', 'invalid_token'],
  ['read', 'internal_server_error', 'internal_server_error', 'server_error'],
  ['update', 'updated', 'updated', undefined],
  ['update', 'bad_request', 'bad_request', 'invalid_client_metadata'],
  ['update', 'unauthorized', 'unauthorized', 'invalid_token'],
  ['update', 'internal_server_error', 'internal_server_error', 'server_error'],
  ['delete', 'deleted', 'deleted', undefined],
  ['delete', 'bad_request', 'bad_request', 'invalid_request'],
  ['delete', 'unauthorized', 'unauthorized', 'invalid_token'],
  ['delete', 'internal_server_error', 'internal_server_error', 'server_error'],
];

const TOKEN_CHECK = { token: new Secret('In1tialAcc3ssT0ken-Vh8sKq2Lm4Xz'), scopes: ['client.register'] };

// Every introspection example both contracts name, the action it carries, and the challenge it gives.
const INTROSPECTION_EXAMPLES: ReadonlyArray<readonly [string, IntrospectionAction, RegExp | undefined]> = [
  ['ok', 'OK', undefined],
  ['unauthorized', 'UNAUTHORIZED', /^Bearer error="invalid_token"/],
  ['forbidden', 'FORBIDDEN', /^Bearer error="insufficient_scope"/],
  ['bad_request', 'BAD_REQUEST', /^Bearer error="invalid_request"/],
  ['internal_server_error', 'INTERNAL_SERVER_ERROR', /^Bearer error="server_error"/],
];

/** The composition root for the API version, with Authlete at `baseUrl`. */
function authleteContainer(baseUrl: string, version: 'v3' | 'v2'): Container {
  const config = testConfig({ AUTHLETE_BASE_URL: baseUrl, AUTHLETE_TIMEOUT_MS: 10_000, ...(version === 'v2' ? V2_ACCOUNT : {}) });
  if (config.authority.kind !== 'authlete') throw new Error('unreachable');
  return createContainer(config, { ...config.authority.account, ...config.authleteCalls });
}

interface ApiVersionUnderTest {
  readonly version: 'v3' | 'v2';
  readonly spec: string;
  /** The Prism mock of that spec: v3's is started by the global setup, v2's by this suite. */
  readonly startPrism: () => Promise<Pick<RunningPrism, 'url' | 'stop'>>;
  readonly prefix: string;
  readonly authorization: string;
}

const VERSIONS: readonly ApiVersionUnderTest[] = [
  {
    version: 'v3',
    spec: 'openapi/authlete.yaml',
    startPrism: async () => ({ url: prismUrl(), stop: async () => {} }),
    prefix: `/api/${SERVICE_ID}/`,
    authorization: `Bearer ${SERVICE_TOKEN}`,
  },
  {
    version: 'v2',
    spec: 'openapi/authlete-v2.yaml',
    startPrism: () => startPrismMock(AUTHLETE_V2_SPEC),
    prefix: '/api/',
    authorization: basicCredentials(SERVICE_API_KEY, SERVICE_API_SECRET),
  },
];

describe.each(VERSIONS)('the Authlete $version adapter against the Prism mock of $spec', ({ version, startPrism, prefix, authorization }) => {
  let prism: Pick<RunningPrism, 'url' | 'stop'>;
  let proxy: RecordingProxy;
  let container: Container;

  beforeAll(async () => {
    prism = await startPrism();
    proxy = await startRecordingProxy(prism.url);
    container = authleteContainer(proxy.url, version);
  }, 90_000);
  afterAll(async () => {
    await container?.get(TOKENS.AuthleteDispatcher).close();
    await proxy?.close();
    await prism?.stop();
  });

  // The typed client of the version under test, for adding a test-only middleware.
  function client(): { use(m: Middleware): void; eject(m: Middleware): void } {
    return version === 'v2' ? container.get(TOKENS.AuthleteV2ApiClient) : container.get(TOKENS.AuthleteApiClient);
  }
  beforeEach(() => {
    proxy.calls.length = 0;
  });

  async function run(operation: Operation, example: string): Promise<RegistrationOutcome> {
    const registration = container.get(TOKENS.ClientRegistration);
    const middleware = preferExample(example);
    client().use(middleware);
    try {
      switch (operation) {
        case 'register':
          return await registration.register(COMMANDS.register);
        case 'read':
          return await registration.read(COMMANDS.read);
        case 'update':
          return await registration.update(COMMANDS.update);
        case 'delete':
          return await registration.delete(COMMANDS.delete);
      }
    } finally {
      client().eject(middleware);
    }
  }

  it.each(EXAMPLES)('%s: the %s example becomes a %s outcome', async (operation, example, kind, error) => {
    const outcome = await run(operation, example);

    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'deleted' || outcome.kind === 'authority_unavailable') return;
    const body: unknown = JSON.parse(outcome.content);
    if (error === undefined) {
      expect(body).toMatchObject({ client_id: CLIENT_ID, registration_client_uri: `https://as.example.com/register/${CLIENT_ID}` });
    } else {
      expect(body).toMatchObject({ error, error_description: expect.any(String) });
    }
  });

  it.each(Object.keys(EXPECTED_CALLS) as Operation[])(
    '%s: Authlete receives the service credentials, the version\'s path and exactly the fields of the contract',
    async (operation) => {
      await run(operation, EXAMPLES.find(([op]) => op === operation)?.[1] ?? '');

      expect(proxy.calls).toHaveLength(1);
      const [call] = proxy.calls;
      expect(call?.method).toBe('POST');
      expect(call?.path).toBe(`${prefix}${EXPECTED_CALLS[operation].path}`);
      expect(call?.headers['authorization']).toBe(authorization);
      expect(call?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(call?.body ?? '')).toEqual(EXPECTED_CALLS[operation].body);
    },
  );

  it('sends no token field on a registration without an initial access token', async () => {
    const middleware = preferExample('created');
    client().use(middleware);
    try {
      const outcome = await container.get(TOKENS.ClientRegistration).register({ operation: 'register', metadataJson: METADATA });
      expect(outcome.kind).toBe('created');
    } finally {
      client().eject(middleware);
    }
    expect(JSON.parse(proxy.calls[0]?.body ?? '')).toEqual({ json: METADATA });
  });

  it('is checked by a mock that refuses requests outside the contract, so the passes above mean something', async () => {
    // The contract requires `json` on an update; this request leaves it out on purpose.
    const response = await fetch(`${proxy.url}${prefix}client/registration/update`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientId: '1', token: 't' }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(400);
  });

  it.each([400, 401, 403, 500])('reports a call refused with HTTP %i as an authority failure naming the status and result code', async (status) => {
    const forceStatus = { onRequest: ({ request }: { request: Request }) => void request.headers.set('Prefer', `code=${status}`) };
    client().use(forceStatus);
    try {
      const outcome = await container.get(TOKENS.ClientRegistration).update(COMMANDS.update);
      expect(outcome).toEqual({
        kind: 'authority_unavailable',
        failure: { cause: 'http_error', status, resultCode: expect.stringMatching(/^A001\d{3}$/), resultMessage: expect.any(String) },
      });
    } finally {
      client().eject(forceStatus);
    }
  });
  describe('introspection, for the initial access token policy', () => {
    async function introspect(prefer: string) {
      const middleware = { onRequest: ({ request }: { request: Request }) => void request.headers.set('Prefer', prefer) };
      client().use(middleware);
      try {
        return await container.get(TOKENS.InitialAccessTokenChecker).check(TOKEN_CHECK);
      } finally {
        client().eject(middleware);
      }
    }

    it.each(INTROSPECTION_EXAMPLES)('the %s example becomes the %s verdict with its WWW-Authenticate challenge', async (example, action, challenge) => {
      const answer = await introspect(`example=${example}`);

      expect(answer).toMatchObject({ kind: 'decision', action });
      if (answer.kind !== 'decision') return;
      if (challenge === undefined) expect(answer.responseContent).toBeUndefined();
      else expect(answer.responseContent).toMatch(challenge);
    });

    it("sends Authlete the service credentials, the version's path, the token and the required scopes, and nothing else", async () => {
      await introspect('example=ok');

      expect(proxy.calls).toHaveLength(1);
      const [call] = proxy.calls;
      expect(call?.path).toBe(`${prefix}auth/introspection`);
      expect(call?.headers['authorization']).toBe(authorization);
      expect(JSON.parse(call?.body ?? '')).toEqual({ token: TOKEN_CHECK.token.reveal(), scopes: ['client.register'] });
    });

    it("reports Authlete's refusal of the gateway's own call as a failure, not as a verdict on the token", async () => {
      expect(await introspect('code=401')).toEqual({
        kind: 'failure',
        failure: { cause: 'http_error', status: 401, resultCode: expect.stringMatching(/^A001\d{3}$/), resultMessage: expect.any(String) },
      });
    });
  });
});
