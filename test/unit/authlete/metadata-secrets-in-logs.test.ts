import { startScriptedAuthlete, type ScriptedAuthlete } from '../../support/scripted-authlete.mts';
import { startGatewayUnderTest, type GatewayUnderTest } from '../../support/gateway-under-test';
import { send } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

// RFC 7592 section 2.2: an update carries the client's current client_secret in its body.
const CLIENT_SECRET = 'CLIENT_SECRET_FROM_PUT_9x';
const REGISTRATION_TOKEN_IN_BODY = 'rat-in-the-body-Tq55k2';
const SOFTWARE_STATEMENT = 'eyJhbGciOiJSUzI1NiJ9.eyJzb2Z0d2FyZV9pZCI6IjQyIn0.sIgNaTuRe-Vv31';
// A secret with a quote and a backslash, which an Authlete quoting the JSON it received writes escaped.
const ESCAPED_SECRET = 'quote"and\\slash-Secret-4r4r';

const JSON_TYPE = ['Content-Type', 'application/json'] as const;

/** The failure the gateway's warn line gave for the one request it answered, and the whole log's text. */
function loggedFailure(gateway: GatewayUnderTest): { failure: unknown; text: string } {
  const lines = gateway.log.records().filter((line) => line['msg'] === 'registration authority failed: http_error');
  expect(lines).toHaveLength(1);
  return { failure: lines[0]?.['failure'], text: gateway.log.text() };
}

describe("the client's own secrets in Authlete's text are cut out of the log line", () => {
  let authlete: ScriptedAuthlete;
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    authlete = await startScriptedAuthlete({ kind: 'hold' });
    gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url }));
  });
  afterAll(async () => {
    await gateway.stop();
    await authlete.close();
  });
  beforeEach(() => {
    gateway.log.lines.length = 0;
  });

  /** Authlete refuses the call with a message quoting `quoted`; the client sends `body` as `method` (POST /register or PUT). */
  async function refusedQuoting(quoted: string, method: 'POST' | 'PUT', body: string) {
    authlete.behave({
      kind: 'answer',
      status: 400,
      body: JSON.stringify({ resultCode: 'A159304', resultMessage: `[A159304] client_secret ${quoted} does not match` }),
    });
    const path = method === 'PUT' ? '/register/c1' : '/register';
    const response = await send(`${gateway.url}${path}`, { method, headers: [['Authorization', 'Bearer rat-of-the-call-Zz19'], JSON_TYPE], body });
    expect(response.status).toBe(502);
    return loggedFailure(gateway);
  }

  it('an update carrying the client_secret, which Authlete quotes: the log line keeps the message, the secret redacted', async () => {
    const body = JSON.stringify({ client_id: 'c1', client_secret: CLIENT_SECRET, redirect_uris: ['https://client.example.org/cb'] });

    const { failure, text } = await refusedQuoting(CLIENT_SECRET, 'PUT', body);

    expect(failure).toEqual({ cause: 'http_error', status: 400, resultCode: 'A159304', resultMessage: '[A159304] client_secret [redacted] does not match' });
    expect(text).not.toContain(CLIENT_SECRET);
  });

  it.each([
    ['client_secret', CLIENT_SECRET],
    ['registration_access_token', REGISTRATION_TOKEN_IN_BODY],
    ['software_statement', SOFTWARE_STATEMENT],
  ])('a registration whose %s Authlete quotes', async (member, secret) => {
    const body = JSON.stringify({ redirect_uris: ['https://client.example.org/cb'], [member]: secret });

    const { failure, text } = await refusedQuoting(secret, 'POST', body);

    expect(failure).toMatchObject({ resultMessage: '[A159304] client_secret [redacted] does not match' });
    expect(text).not.toContain(secret);
  });

  it('a secret Authlete quotes as the JSON string it received, escaped', async () => {
    const body = JSON.stringify({ client_id: 'c1', client_secret: ESCAPED_SECRET });
    const escaped = JSON.stringify(ESCAPED_SECRET).slice(1, -1);

    const { failure, text } = await refusedQuoting(escaped, 'PUT', body);

    expect(failure).toMatchObject({ resultMessage: '[A159304] client_secret [redacted] does not match' });
    expect(text).not.toContain('and\\\\slash-Secret');
    expect(text).not.toContain('4r4r');
  });

  it.each([
    ['a number', '{"client_id":"c1","client_secret":12345}', '12345'],
    ['an object', '{"client_id":"c1","client_secret":{"v":"x"}}', 'x'],
    ['null', '{"client_id":"c1","client_secret":null}', 'null'],
    ['absent', '{"client_id":"c1"}', 'nothing'],
    ['empty', '{"client_id":"c1","client_secret":""}', 'nothing'],
  ])('a client_secret that is %s is no string to cut: the message is logged as Authlete wrote it', async (_what, body, quoted) => {
    const { failure } = await refusedQuoting(quoted, 'PUT', body);

    expect(failure).toMatchObject({ resultMessage: `[A159304] client_secret ${quoted} does not match` });
  });
});
