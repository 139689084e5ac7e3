import { basicCredentials } from '../../../src/adapters/authlete/authlete-api-client';
import { startScriptedAuthlete, type ScriptedAuthlete } from '../../support/scripted-authlete.mts';
import { startGatewayUnderTest, type GatewayUnderTest } from '../../support/gateway-under-test';
import { send } from '../../support/http-client';
import { SERVICE_API_KEY, SERVICE_API_SECRET, SERVICE_TOKEN, testConfig, V2_ACCOUNT, type TestSettings } from '../../support/test-config';

const FIXED_CHALLENGE = 'Bearer error="invalid_token"';
const BASIC = basicCredentials(SERVICE_API_KEY, SERVICE_API_SECRET);

/** Introspection's challenge, whose description quotes `quoted`. */
function challengeQuoting(quoted: string): string {
  return `Bearer error="invalid_token", error_description="token iat-Unknown-5p5p unknown; service ${quoted}"`;
}

describe("introspection's challenge reaches the client only without the gateway's own credentials in it", () => {
  let authlete: ScriptedAuthlete;
  beforeAll(async () => {
    authlete = await startScriptedAuthlete({ kind: 'hold' });
  });
  afterAll(() => authlete.close());

  /** The WWW-Authenticate a registration gets when introspection answers UNAUTHORIZED with `challenge`. */
  async function challengeReceived(gateway: GatewayUnderTest, challenge: string): Promise<unknown> {
    authlete.behave({ kind: 'answer', status: 200, body: JSON.stringify({ action: 'UNAUTHORIZED', responseContent: challenge }) });
    const response = await send(`${gateway.url}/register`, {
      method: 'POST',
      headers: [
        ['Authorization', 'Bearer iat-Unknown-5p5p'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"redirect_uris":["https://client.example.org/cb"]}',
    });
    expect(response.status).toBe(401);
    return response.headers['www-authenticate'];
  }

  describe.each<[string, TestSettings, ReadonlyArray<readonly [string, string]>]>([
    ['v3', {}, [['the service access token', SERVICE_TOKEN]]],
    [
      'v2',
      V2_ACCOUNT,
      [
        ['the API secret', SERVICE_API_SECRET],
        ['the API key, the user name of the Basic credential', SERVICE_API_KEY],
        ['the Basic credential', BASIC],
        ['the Basic credential without its scheme', BASIC.slice('Basic '.length)],
      ],
    ],
  ])('Authlete API %s', (_version, account, credentials) => {
    let gateway: GatewayUnderTest;
    beforeAll(async () => {
      gateway = await startGatewayUnderTest(testConfig({ ...account, AUTHLETE_BASE_URL: authlete.url, REGISTRATION_ACCESS: 'token' }));
    });
    afterAll(() => gateway.stop());

    it('relays a challenge free of them as Authlete wrote it', async () => {
      const challenge = challengeQuoting('unknown-to-anyone');
      expect(await challengeReceived(gateway, challenge)).toBe(challenge);
    });

    it.each(credentials)('sends its own fixed challenge instead of one quoting %s', async (_what, credential) => {
      expect(await challengeReceived(gateway, challengeQuoting(credential))).toBe(FIXED_CHALLENGE);
    });
  });
});
