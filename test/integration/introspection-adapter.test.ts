import type { Container } from 'inversify';
import { createContainer } from '../../src/composition/container';
import { TOKENS } from '../../src/composition/tokens';
import type { IntrospectionAction } from '../../src/domain/introspection-action';
import { Secret } from '../../src/domain/secret';
import { prismUrl } from '../support/prism-url';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';
import { SERVICE_ID, SERVICE_TOKEN, testAuthleteSettings, testConfig } from '../support/test-config';

const CHECK = { token: new Secret('In1tialAcc3ssT0ken-Vh8sKq2Lm4Xz'), scopes: ['client.register'] };

// Every example openapi/authlete.yaml names for introspection, the action it carries, and the challenge it gives.
const EXAMPLES: ReadonlyArray<readonly [string, IntrospectionAction, RegExp | undefined]> = [
  ['ok', 'OK', undefined],
  ['unauthorized', 'UNAUTHORIZED', /^Bearer error="invalid_token"/],
  ['forbidden', 'FORBIDDEN', /^Bearer error="insufficient_scope",.*scope="client.register"$/],
  ['bad_request', 'BAD_REQUEST', /^Bearer error="invalid_request"/],
  ['internal_server_error', 'INTERNAL_SERVER_ERROR', /^Bearer error="server_error"/],
];

describe("the introspection adapter against the Prism mock of openapi/authlete.yaml", () => {
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

  /** Prism picks its answer by the Prefer header (`example=<name>`, `code=<status>`). */
  async function withHeader<T>(name: string, value: string, run: () => Promise<T>): Promise<T> {
    const client = container.get(TOKENS.AuthleteApiClient);
    const middleware = { onRequest: ({ request }: { request: Request }) => void request.headers.set(name, value) };
    client.use(middleware);
    try {
      return await run();
    } finally {
      client.eject(middleware);
    }
  }

  it.each(EXAMPLES)('the %s example becomes the %s verdict with its WWW-Authenticate challenge', async (example, action, challenge) => {
    const answer = await withHeader('Prefer', `example=${example}`, () => container.get(TOKENS.InitialAccessTokenChecker).check(CHECK));

    expect(answer).toMatchObject({ kind: 'decision', action });
    if (answer.kind !== 'decision') return;
    if (challenge === undefined) expect(answer.responseContent).toBeUndefined();
    else expect(answer.responseContent).toMatch(challenge);
  });

  it('sends Authlete the service token, the service ID, the token and the required scopes, and nothing else', async () => {
    await withHeader('Prefer', 'example=ok', () => container.get(TOKENS.InitialAccessTokenChecker).check(CHECK));

    expect(proxy.calls).toHaveLength(1);
    const [call] = proxy.calls;
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe(`/api/${SERVICE_ID}/auth/introspection`);
    expect(call?.headers['authorization']).toBe(`Bearer ${SERVICE_TOKEN}`);
    expect(JSON.parse(call?.body ?? '')).toEqual({ token: 'In1tialAcc3ssT0ken-Vh8sKq2Lm4Xz', scopes: ['client.register'] });
  });

  it('reports a refused call (Authlete 401 to the gateway itself) as a failure, not as a verdict on the token', async () => {
    const answer = await withHeader('Prefer', 'code=401', () => container.get(TOKENS.InitialAccessTokenChecker).check(CHECK));

    expect(answer).toEqual({ kind: 'failure', failure: { cause: 'http_error', status: 401, resultCode: 'A001101', resultMessage: expect.any(String) } });
  });
});
