import type { Container } from 'inversify';
import { createContainer } from '../../src/composition/container';
import { TOKENS } from '../../src/composition/tokens';
import type { UpdateCommand } from '../../src/domain/commands';
import { Secret } from '../../src/domain/secret';
import { preferExample } from '../support/prefer-example';
import { prismUrl } from '../support/prism-url';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';
import { SERVICE_TOKEN, testConfig } from '../support/test-config';

const command: UpdateCommand = {
  operation: 'update',
  clientId: '5899463614448063',
  registrationAccessToken: new Secret('R3gAcc3ssT0ken-created-Qm9Yd2p8ZkLx'),
  metadataJson: '{"client_id":"5899463614448063","redirect_uris":["https://client.example.org/callback2"]}',
};

describe('the Authlete adapter against the Prism mock: update', () => {
  let proxy: RecordingProxy;
  let container: Container;

  beforeAll(async () => {
    proxy = await startRecordingProxy(prismUrl());
    container = createContainer(testConfig({ authleteBaseUrl: proxy.url, timeoutMs: 10_000 }));
  });
  afterAll(async () => {
    await container.get(TOKENS.AuthleteDispatcher).close();
    await proxy.close();
  });
  beforeEach(() => {
    proxy.calls.length = 0;
  });

  async function updateWithExample(example: string) {
    const client = container.get(TOKENS.AuthleteApiClient);
    const middleware = preferExample(example);
    client.use(middleware);
    try {
      return await container.get(TOKENS.ClientRegistration).update(command);
    } finally {
      client.eject(middleware);
    }
  }

  it('relays UPDATED with the client information as content', async () => {
    const outcome = await updateWithExample('updated');
    expect(outcome.kind).toBe('updated');
    if (outcome.kind !== 'updated') return;
    expect(JSON.parse(outcome.content)).toMatchObject({
      client_id: '5899463614448063',
      registration_client_uri: 'https://as.example.com/register/5899463614448063',
      redirect_uris: ['https://client.example.org/callback2'],
    });
  });

  it.each([
    ['bad_request', 'bad_request', 'invalid_client_metadata'],
    ['unauthorized', 'unauthorized', 'invalid_token'],
    ['internal_server_error', 'internal_server_error', 'server_error'],
  ] as const)('relays the %s example as a %s outcome with its OAuth error', async (example, kind, error) => {
    const outcome = await updateWithExample(example);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === kind) expect(JSON.parse(outcome.content)).toMatchObject({ error });
  });

  it('sends Authlete the service token, the service ID and the three fields the contract asks for', async () => {
    await updateWithExample('updated');
    expect(proxy.calls).toHaveLength(1);
    const [call] = proxy.calls;
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe('/api/715948317/client/registration/update');
    expect(call?.headers['authorization']).toBe(`Bearer ${SERVICE_TOKEN}`);
    expect(call?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(call?.body ?? '')).toEqual({
      clientId: '5899463614448063',
      token: 'R3gAcc3ssT0ken-created-Qm9Yd2p8ZkLx',
      json: command.metadataJson,
    });
  });

  it('is checked by a mock that refuses requests outside the contract, so the passes above mean something', async () => {
    const client = container.get(TOKENS.AuthleteApiClient);
    const { response } = await client.POST('/api/{serviceId}/client/registration/update', {
      params: { path: { serviceId: '715948317' } },
      // @ts-expect-error the contract requires `json`; this request leaves it out on purpose.
      body: { clientId: '1', token: 't' },
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(400);
  });
});
