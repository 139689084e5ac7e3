import { startStatefulMock, type RunningStatefulMock } from '../../mock/stateful/stateful-mock';
import { startContractProxy, startGatewayBehindContract, type GatewayBehindContract } from '../support/gateway-contract';
import { startGatewayProcess } from '../support/gateway-process.mts';
import { BUILT_CHECK, ROOT } from '../support/paths.mts';
import { prismUrl } from '../support/prism-url';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';
import { startProcess, type RunningProcess } from '../support/running-process.mts';
import { startTamperingProxy } from '../support/tampering-proxy';

/** The built conformance check (`npm run check` without the build) as its own process. */
function startCheck(args: readonly string[]): RunningProcess {
  return startProcess(process.execPath, [BUILT_CHECK, ...args], { cwd: ROOT });
}

async function runCheck(args: readonly string[]): Promise<{ readonly code: number | null; readonly output: string }> {
  const run = startCheck(args);
  const code = await run.exited;
  return { code, output: run.output() };
}

const CHECK_COUNT = 13;
const SERVICE = { id: 'svc-check', token: 'check-service-token-Rk2v', apiKey: 'check-api-key', apiSecret: 'check-api-secret-Wq9z' };

const ACCOUNTS = {
  v3: { AUTHLETE_SERVICE_ID: SERVICE.id, AUTHLETE_SERVICE_ACCESS_TOKEN: SERVICE.token },
  v2: { AUTHLETE_API_VERSION: 'v2', AUTHLETE_SERVICE_API_KEY: SERVICE.apiKey, AUTHLETE_SERVICE_API_SECRET: SERVICE.apiSecret },
} as const;

/** Every registration access token the gateway sent the mock: none may appear in what the check prints. */
function tokensSeen(recording: RecordingProxy): string[] {
  return recording.calls.flatMap((call) => {
    const token = /"token":"([^"]+)"/.exec(call.body)?.[1];
    return token === undefined ? [] : [token];
  });
}

describe.each(['v3', 'v2'] as const)('npm run check against the built gateway on Authlete API %s (a stateful mock)', (version) => {
  let mock: RunningStatefulMock;
  let recording: RecordingProxy;
  let gateway: GatewayBehindContract;

  beforeAll(async () => {
    let gatewayUrl = '';
    mock = await startStatefulMock({
      managementBaseUrl: () => `${gatewayUrl}/register`,
      serviceId: SERVICE.id,
      serviceAccessToken: SERVICE.token,
      serviceApiKey: SERVICE.apiKey,
      serviceApiSecret: SERVICE.apiSecret,
    });
    recording = await startRecordingProxy(mock.url);
    gateway = await startGatewayBehindContract({ AUTHLETE_BASE_URL: recording.url, ...ACCOUNTS[version] });
    gatewayUrl = gateway.url;
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await recording?.close();
    await mock?.close();
  });

  it('passes every check, prints no token or secret, deletes its client, and exits 0', async () => {
    const { code, output } = await runCheck([`${gateway.url}/register`]);

    expect(output).toContain(`${CHECK_COUNT} checks: ${CHECK_COUNT} passed, 0 failed, 0 skipped`);
    expect(output.match(/^PASS {2}/gm)).toHaveLength(CHECK_COUNT);
    expect(code).toBe(0);
    expect(mock.clientCount()).toBe(0);
    expect(gateway.violations()).toEqual([]);
    // Every Authlete call went to the version's own paths.
    const prefix = version === 'v2' ? '/api/client/registration' : `/api/${SERVICE.id}/client/registration`;
    expect(recording.calls.every((call) => call.path.startsWith(prefix))).toBe(true);
    const tokens = tokensSeen(recording);
    expect(tokens.length).toBeGreaterThan(3);
    for (const token of [...tokens, SERVICE.token, SERVICE.apiSecret]) expect(output).not.toContain(token);
  }, 30_000);

  it('passes the initial access token on, and never prints it', async () => {
    const initial = 'initial-access-token-Jd83kq';
    const { code, output } = await runCheck([`${gateway.url}/register`, '--token', initial]);
    expect(code).toBe(0);
    expect(output).not.toContain(initial);
    expect(recording.calls.some((call) => call.body.includes(initial))).toBe(true);
  }, 30_000);
});

describe('npm run check, interrupted', () => {
  it('deletes the client it made when interrupted with SIGINT, and exits 130', async () => {
    let gatewayUrl = '';
    const mock = await startStatefulMock({ managementBaseUrl: () => `${gatewayUrl}/register`, serviceId: SERVICE.id, serviceAccessToken: SERVICE.token });
    // Reads are held until the test lets them go: the check is then surely in the middle of its scenario.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowReads = await startTamperingProxy(mock.url, { hold: (req) => (req.url?.endsWith('/registration/get') ? gate : undefined) });
    const gateway = await startGatewayProcess({ AUTHLETE_BASE_URL: slowReads.url, ...ACCOUNTS.v3 });
    gatewayUrl = gateway.url;
    try {
      const run = startCheck([`${gateway.url}/register`]);
      await run.waitForOutput(/a redirect URI with a fragment/);
      expect(mock.clientCount()).toBe(1);
      run.child.kill('SIGINT');
      release();

      expect(await run.exited).toBe(130);
      expect(run.output()).toMatch(/cleanup {2}deleted client \d+: 204/);
      expect(run.output()).toMatch(/interrupted by SIGINT/);
      expect(mock.clientCount()).toBe(0);
    } finally {
      release();
      await gateway.stop();
      await slowReads.close();
      await mock.close();
    }
  }, 30_000);

  it('refuses a bad command line with a usage line and exit code 2', async () => {
    const { code, output } = await runCheck(['ftp://example.com/register']);
    expect(code).toBe(2);
    expect(output).toMatch(/usage: npm run check -- <registration endpoint URL>/);
  });
});

describe('npm run check against the built gateway on the Prism mock of Authlete (fixed examples)', () => {
  let gateway: GatewayBehindContract;

  beforeAll(async () => {
    gateway = await startGatewayBehindContract({ AUTHLETE_BASE_URL: prismUrl(), ...ACCOUNTS.v3 });
  }, 60_000);
  afterAll(() => gateway?.stop());

  it('skips, with the reason, each check that needs a deployment that decides, and fails none', async () => {
    const { code, output } = await runCheck([`${gateway.url}/register`]);

    expect(output).toMatch(/note {2}two registrations got the same client_id 5899463614448063/);
    const skipped = output.match(/^SKIP {2}.*$/gm) ?? [];
    expect(skipped).toHaveLength(7);
    for (const line of skipped) expect(line).toMatch(/ \| .*(fixed example)/);
    expect(output).not.toMatch(/^FAIL/m);
    expect(output).toContain(`${CHECK_COUNT} checks: 6 passed, 0 failed, 7 skipped`);
    expect(code).toBe(0);
    expect(gateway.violations()).toEqual([]);
  }, 30_000);
});

describe('a broken build: PUT answered without Pragma', () => {
  it('fails both the contract and the check', async () => {
    let url = '';
    const mock = await startStatefulMock({ managementBaseUrl: () => `${url}/register` });
    const gateway = await startGatewayProcess({ AUTHLETE_BASE_URL: mock.url, ...ACCOUNTS.v3 });
    const broken = await startTamperingProxy(gateway.url, {
      answerHeaders: (req, headers) => {
        if (req.method !== 'PUT') return headers;
        const { pragma: _dropped, ...rest } = headers;
        return rest;
      },
    });
    const contract = await startContractProxy(async () => ({ url: broken.url, stop: async () => {} }));
    try {
      // Without the contract in the way, the check itself sees the missing header.
      url = broken.url;
      const direct = await runCheck([`${broken.url}/register`]);
      expect(direct.code).toBe(1);
      expect(direct.output).toMatch(/^FAIL {2}Cache-Control: no-store and Pragma: no-cache on every answer \| PUT <client URI> \(update\) → 200: no Pragma: no-cache/m);
      expect(mock.clientCount()).toBe(0);

      // Through the contract, Prism refuses the PUT's answer, and the check's update fails with it.
      url = contract.url;
      const held = await runCheck([`${contract.url}/register`]);
      expect(held.code).toBe(1);
      expect(held.output).toMatch(/^FAIL {2}update a redirect URI .* \| 500/m);
      expect(contract.violations().length).toBeGreaterThan(0);
      expect(mock.clientCount()).toBe(0);
    } finally {
      await contract.stop();
      await broken.close();
      await gateway.stop();
      await mock.close();
    }
  }, 60_000);
});
