import type { Container } from 'inversify';
import { createContainer } from '../../src/composition/container';
import { TOKENS } from '../../src/composition/tokens';
import type { RegistrationCommand } from '../../src/domain/commands';
import type { IntrospectionAction } from '../../src/domain/introspection-action';
import type { Operation } from '../../src/domain/operation';
import type { RegistrationOutcome } from '../../src/domain/outcome';
import { Secret } from '../../src/domain/secret';
import { preferExample } from '../support/prefer-example';
import { prismUrl } from '../support/prism-url';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';
import { SERVICE_ID, SERVICE_TOKEN, testAuthleteSettings, testConfig } from '../support/test-config';

const CLIENT_ID = '5899463614448063';
const TOKEN = 'R3gAcc3ssT0ken-created-Qm9Yd2p8ZkLx';
const METADATA = '{"client_id":"5899463614448063","redirect_uris":["https://client.example.org/callback2"]}';

const COMMANDS: { [O in Operation]: Extract<RegistrationCommand, { operation: O }> } = {
  register: { operation: 'register', metadataJson: METADATA, initialAccessToken: new Secret('initial-access-token') },
  read: { operation: 'read', clientId: CLIENT_ID, registrationAccessToken: new Secret(TOKEN) },
  update: { operation: 'update', clientId: CLIENT_ID, registrationAccessToken: new Secret(TOKEN), metadataJson: METADATA },
  delete: { operation: 'delete', clientId: CLIENT_ID, registrationAccessToken: new Secret(TOKEN) },
};

// What Authlete must receive for each command: the v3 path and the request body of the contract.
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

// Every introspection example openapi/authlete.yaml names, the action it carries, and the challenge it gives.
const INTROSPECTION_EXAMPLES: ReadonlyArray<readonly [string, IntrospectionAction, RegExp | undefined]> = [
  ['ok', 'OK', undefined],
  ['unauthorized', 'UNAUTHORIZED', /^Bearer error="invalid_token"/],
  ['forbidden', 'FORBIDDEN', /^Bearer error="insufficient_scope",.*scope="client.register"$/],
  ['bad_request', 'BAD_REQUEST', /^Bearer error="invalid_request"/],
  ['internal_server_error', 'INTERNAL_SERVER_ERROR', /^Bearer error="server_error"/],
];

describe('the Authlete adapter against the Prism mock of openapi/authlete.yaml', () => {
  let proxy: RecordingProxy;
  let container: Container;

  beforeAll(async () => {
    proxy = await startRecordingProxy(prismUrl());
    const overrides = { AUTHLETE_BASE_URL: proxy.url, AUTHLETE_TIMEOUT_MS: 10_000 };
    container = createContainer(testConfig(overrides), testAuthleteSettings(overrides));
  });
  afterAll(async () => {
    await container.get(TOKENS.AuthleteDispatcher).close();
    await proxy.close();
  });
  beforeEach(() => {
    proxy.calls.length = 0;
  });

  async function run(operation: Operation, example: string): Promise<RegistrationOutcome> {
    const client = container.get(TOKENS.AuthleteApiClient);
    const registration = container.get(TOKENS.ClientRegistration);
    const middleware = preferExample(example);
    client.use(middleware);
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
      client.eject(middleware);
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
    '%s: Authlete receives the service token, the service ID and exactly the fields of the contract',
    async (operation) => {
      await run(operation, EXAMPLES.find(([op]) => op === operation)?.[1] ?? '');

      expect(proxy.calls).toHaveLength(1);
      const [call] = proxy.calls;
      expect(call?.method).toBe('POST');
      expect(call?.path).toBe(`/api/${SERVICE_ID}/${EXPECTED_CALLS[operation].path}`);
      expect(call?.headers['authorization']).toBe(`Bearer ${SERVICE_TOKEN}`);
      expect(call?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(call?.body ?? '')).toEqual(EXPECTED_CALLS[operation].body);
    },
  );

  it('sends no token field on a registration without an initial access token', async () => {
    const client = container.get(TOKENS.AuthleteApiClient);
    const middleware = preferExample('created');
    client.use(middleware);
    try {
      const outcome = await container.get(TOKENS.ClientRegistration).register({ operation: 'register', metadataJson: METADATA });
      expect(outcome.kind).toBe('created');
    } finally {
      client.eject(middleware);
    }
    expect(JSON.parse(proxy.calls[0]?.body ?? '')).toEqual({ json: METADATA });
  });

  it('is checked by a mock that refuses requests outside the contract, so the passes above mean something', async () => {
    const client = container.get(TOKENS.AuthleteApiClient);
    const { response } = await client.POST('/api/{serviceId}/client/registration/update', {
      params: { path: { serviceId: SERVICE_ID } },
      // @ts-expect-error the contract requires `json`; this request leaves it out on purpose.
      body: { clientId: '1', token: 't' },
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(400);
  });

  it('reports a refused call as an authority failure naming the status and result code', async () => {
    const client = container.get(TOKENS.AuthleteApiClient);
    const forceStatus = { onRequest: ({ request }: { request: Request }) => void request.headers.set('Prefer', 'code=403') };
    client.use(forceStatus);
    try {
      const outcome = await container.get(TOKENS.ClientRegistration).update(COMMANDS.update);
      expect(outcome).toEqual({
        kind: 'authority_unavailable',
        failure: { cause: 'http_error', status: 403, resultCode: 'A001103', resultMessage: expect.any(String) },
      });
    } finally {
      client.eject(forceStatus);
    }
  });
  describe('introspection, for the initial access token policy', () => {
    async function introspect(prefer: string) {
      const client = container.get(TOKENS.AuthleteApiClient);
      const middleware = { onRequest: ({ request }: { request: Request }) => void request.headers.set('Prefer', prefer) };
      client.use(middleware);
      try {
        return await container.get(TOKENS.InitialAccessTokenChecker).check(TOKEN_CHECK);
      } finally {
        client.eject(middleware);
      }
    }

    it.each(INTROSPECTION_EXAMPLES)('the %s example becomes the %s verdict with its WWW-Authenticate challenge', async (example, action, challenge) => {
      const answer = await introspect(`example=${example}`);

      expect(answer).toMatchObject({ kind: 'decision', action });
      if (answer.kind !== 'decision') return;
      if (challenge === undefined) expect(answer.responseContent).toBeUndefined();
      else expect(answer.responseContent).toMatch(challenge);
    });

    it('sends Authlete the service token, the service ID, the token and the required scopes, and nothing else', async () => {
      await introspect('example=ok');

      expect(proxy.calls).toHaveLength(1);
      const [call] = proxy.calls;
      expect(call?.path).toBe(`/api/${SERVICE_ID}/auth/introspection`);
      expect(call?.headers['authorization']).toBe(`Bearer ${SERVICE_TOKEN}`);
      expect(JSON.parse(call?.body ?? '')).toEqual({ token: 'In1tialAcc3ssT0ken-Vh8sKq2Lm4Xz', scopes: ['client.register'] });
    });

    it("reports Authlete's refusal of the gateway's own call as a failure, not as a verdict on the token", async () => {
      expect(await introspect('code=401')).toEqual({
        kind: 'failure',
        failure: { cause: 'http_error', status: 401, resultCode: 'A001101', resultMessage: expect.any(String) },
      });
    });
  });
});
