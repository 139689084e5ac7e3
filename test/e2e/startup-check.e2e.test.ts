import { startStatefulMock, type RunningStatefulMock } from '../../mock/stateful/stateful-mock';
import { runGatewayToExit, startGatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';

const SERVICE_ID = 'startup-e2e';
const RIGHT_TOKEN = 'svc-token-startup-right-Hn4';
const WRONG_TOKEN = 'svc-token-startup-wrong-Pe8';

function checkLine(output: string): Record<string, unknown> | undefined {
  const line = output.split('\n').find((text) => text.includes('"check":'));
  return line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>);
}

describe('the start-up credential check', () => {
  let authlete: RunningStatefulMock;
  let front: RecordingProxy;

  beforeAll(async () => {
    authlete = await startStatefulMock({ managementBaseUrl: 'http://127.0.0.1/register', serviceId: SERVICE_ID, serviceAccessToken: RIGHT_TOKEN });
    front = await startRecordingProxy(authlete.url);
  });
  afterAll(() => Promise.all([front.close(), authlete.close()]));
  beforeEach(() => {
    front.calls.length = 0;
  });

  const env = (token: string, mode?: string): Record<string, string> => ({
    AUTHLETE_BASE_URL: front.url,
    AUTHLETE_SERVICE_ID: SERVICE_ID,
    AUTHLETE_SERVICE_ACCESS_TOKEN: token,
    ...(mode !== undefined && { AUTHLETE_STARTUP_CHECK: mode }),
  });

  it('logs at info that the credentials work, with one read that creates nothing; readiness never calls Authlete', async () => {
    // Empty counts as unset: the default (warn) applies, not the test launcher's off.
    const gateway = await startGatewayProcess({ ...env(RIGHT_TOKEN), AUTHLETE_STARTUP_CHECK: '' });
    try {
      expect(checkLine(gateway.output())).toMatchObject({ level: 'info', check: 'passed', authlete: front.url, serviceId: SERVICE_ID });
      expect(front.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`POST /api/${SERVICE_ID}/client/registration/get`]);
      expect(authlete.clientCount()).toBe(0);
      for (let probe = 0; probe < 3; probe++) expect((await send(`${gateway.adminUrl}/health/ready`, { method: 'GET' })).status).toBe(200);
      expect(front.calls).toHaveLength(1);
    } finally {
      await gateway.stop();
    }
  });

  it('logs an error saying what to fix when Authlete refuses the service token, and still serves under warn', async () => {
    const gateway = await startGatewayProcess(env(WRONG_TOKEN, 'warn'));
    try {
      expect(checkLine(gateway.output())).toMatchObject({
        level: 'error',
        check: 'failed',
        failure: { cause: 'http_error', status: 401 },
        fix: expect.stringContaining('AUTHLETE_SERVICE_ACCESS_TOKEN'),
      });
      expect(gateway.output()).not.toContain(WRONG_TOKEN);
      expect((await send(`${gateway.adminUrl}/health/live`, { method: 'GET' })).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });

  it('stops the process with exit code 1 under fail, before it listens', async () => {
    const run = await runGatewayToExit(env(WRONG_TOKEN, 'fail'));
    expect(run.code).toBe(1);
    expect(checkLine(run.output)).toMatchObject({ level: 'error', check: 'failed' });
    expect(run.output).toContain('the start-up credential check failed (AUTHLETE_STARTUP_CHECK=fail)');
    expect(run.output).not.toContain('dcr-gateway listening');
    expect(run.output).not.toContain(WRONG_TOKEN);
  });

  it('makes no call under off', async () => {
    const gateway = await startGatewayProcess(env(WRONG_TOKEN, 'off'));
    try {
      expect(checkLine(gateway.output())).toBeUndefined();
      expect(front.calls).toHaveLength(0);
    } finally {
      await gateway.stop();
    }
  });

  it('names the v2 credentials when Authlete API v2 refuses them', async () => {
    const v2 = await startStatefulMock({ managementBaseUrl: 'http://127.0.0.1/register', serviceApiKey: 'startup-v2-key', serviceApiSecret: RIGHT_TOKEN });
    try {
      const run = await runGatewayToExit({
        AUTHLETE_API_VERSION: 'v2',
        AUTHLETE_BASE_URL: v2.url,
        AUTHLETE_SERVICE_API_KEY: 'startup-v2-key',
        AUTHLETE_SERVICE_API_SECRET: WRONG_TOKEN,
        AUTHLETE_STARTUP_CHECK: 'fail',
      });
      expect(run.code).toBe(1);
      expect(checkLine(run.output)).toMatchObject({ level: 'error', apiVersion: 'v2', serviceApiKey: 'startup-v2-key', fix: expect.stringContaining('AUTHLETE_SERVICE_API_SECRET') });
      expect(run.output).not.toContain(WRONG_TOKEN);
    } finally {
      await v2.close();
    }
  });

  it('names the base URL as the thing to fix when nothing answers there', async () => {
    const run = await runGatewayToExit({ ...env(RIGHT_TOKEN, 'fail'), AUTHLETE_BASE_URL: 'http://127.0.0.1:9' });
    expect(run.code).toBe(1);
    expect(checkLine(run.output)).toMatchObject({ failure: { cause: 'unreachable', code: 'ECONNREFUSED' }, fix: expect.stringContaining('AUTHLETE_BASE_URL') });
  });
});
