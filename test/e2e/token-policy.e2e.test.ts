import { jsonLines, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';

const METADATA = '{"redirect_uris":["https://client.example.org/cb"],"software_id":"e2e-app"}';

function register(gateway: GatewayProcess, token?: string) {
  return send(`${gateway.url}/register`, {
    method: 'POST',
    headers: [['Content-Type', 'application/json'], ...(token === undefined ? [] : [['Authorization', `Bearer ${token}`] as const])],
    body: METADATA,
  });
}

/** An access token from the embedded mock's own minting endpoint, whose URL the start-up warning gives. */
async function mint(gateway: GatewayProcess, scope: string): Promise<string> {
  const mintUrl = /"mintAccessTokens":"([^"]+)"/.exec(gateway.output())?.[1];
  if (mintUrl === undefined) throw new Error(`no minting URL in the start-up output:\n${gateway.output()}`);
  const response = await fetch(mintUrl, { method: 'POST', body: JSON.stringify({ scope }) });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('REGISTRATION_ACCESS=token through the built service on its embedded mock Authlete', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ REGISTRATION_ACCESS: 'token', AUDIT_LOG: 'stderr', LIMIT_REGISTRATIONS_PER_IP: '2/1h' });
  });
  afterAll(() => gateway.stop());

  it('answers no token 401, a token without the scope 403, a valid one 201, cuts a loop off at the limit, and audits each', async () => {
    const none = await register(gateway);
    const unscoped = await register(gateway, await mint(gateway, 'openid'));
    const forged = await register(gateway, 'not-a-token-anyone-issued');
    const token = await mint(gateway, 'client.register');
    const valid = await register(gateway, token);
    const second = await register(gateway, token);
    const third = await register(gateway, token);

    expect([none.status, unscoped.status, forged.status, valid.status]).toEqual([401, 403, 401, 201]);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(unscoped.headers['www-authenticate']).toMatch(/^Bearer error="insufficient_scope",.*scope="client.register"$/);
    expect(forged.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(JSON.parse(valid.body)).toMatchObject({ client_id: expect.any(String), software_id: 'e2e-app' });
    expect([second.status, third.status]).toEqual([201, 429]);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(3000);

    // The audit line is written before the answer, but the child's stderr reaches this process on its own pipe,
    // which may be read after the answer's socket: wait for the last event rather than read what has come so far.
    await gateway.waitForOutput(/"event":"rate_limited"/, 10_000);
    const audit = jsonLines(gateway.output()).filter((line) => line['log'] === 'audit');
    expect(audit.map(({ event, status }) => [event, status])).toEqual([
      ['refused_by_token_policy', 401],
      ['refused_by_token_policy', 403],
      ['refused_by_token_policy', 401],
      ['registered', 201],
      ['registered', 201],
      ['rate_limited', 429],
    ]);
    expect(audit[3]).toMatchObject({ clientId: JSON.parse(valid.body).client_id, softwareId: 'e2e-app', clientIp: '127.0.0.1' });
  });
});

describe('AUDIT_LOG on a full disk, through the built service', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUDIT_LOG: '/dev/full' });
  });
  afterAll(() => gateway.stop());

  it('keeps answering, says so once in its own log, and counts lost events in a metric of their own', async () => {
    const answers = [await register(gateway), await register(gateway)];

    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    await gateway.waitForOutput(/the audit log cannot be written/, 10_000);
    const said = jsonLines(gateway.output()).filter((line) => String(line['msg']).startsWith('the audit log cannot be written'));
    expect(said).toEqual([expect.objectContaining({ level: 'error', audit: '/dev/full', code: 'ENOSPC' })]);
    // Two events are far under the megabyte that may wait: none is lost yet.
    const metrics = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
    expect(metrics).toMatch(/^dcr_audit_events_lost_total 0$/m);
  });
});
