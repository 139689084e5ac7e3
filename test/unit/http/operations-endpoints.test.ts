import { connect } from 'node:net';
import { TOKENS } from '../../../src/composition/tokens';
import { decision, FakeAuthority } from '../../support/fake-authority';
import { startGatewayUnderTest, type GatewayUnderTest } from '../../support/gateway-under-test';
import { send } from '../../support/http-client';
import { freePort } from '../../support/loopback.mts';
import { testConfig } from '../../support/test-config';

function sample(metrics: string, name: string, labels: string): number | undefined {
  const line = metrics.split('\n').find((row) => row.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('probes and metrics', () => {
  const authority = new FakeAuthority(decision('UPDATED', '{"client_id":"42"}'));
  let gateway: GatewayUnderTest;

  beforeEach(async () => {
    gateway = await startGatewayUnderTest(testConfig(), authority);
  });
  afterEach(() => gateway.stop());

  const put = (headers: ReadonlyArray<readonly [string, string]>) =>
    send(`${gateway.url}/register/42`, { method: 'PUT', headers: [...headers, ['Content-Type', 'application/json']], body: '{"client_id":"42"}' });

  it('answers liveness and readiness with 200 JSON and never asks the authority', async () => {
    const live = await send(`${gateway.adminUrl}/health/live`, { method: 'GET' });
    const ready = await send(`${gateway.adminUrl}/health/ready`, { method: 'GET' });
    expect([live.status, JSON.parse(live.body)]).toEqual([200, { status: 'live' }]);
    expect([ready.status, JSON.parse(ready.body)]).toEqual([200, { status: 'ready' }]);
    expect(ready.headers['cache-control']).toBe('no-store');
    expect(authority.received).toHaveLength(0);
  });

  it('turns readiness to 503, and closes connections after each answer, once draining has begun', async () => {
    gateway.container.get(TOKENS.Drain).begin();
    const ready = await send(`${gateway.adminUrl}/health/ready`, { method: 'GET' });
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'draining', error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(ready.headers['connection']).toBe('close');
    const live = await send(`${gateway.adminUrl}/health/live`, { method: 'GET' });
    expect(live.status).toBe(200);
    // A load balancer polls it all through the shutdown delay: its 503 is no error to page anyone for.
    expect(gateway.log.records().find((line) => line['path'] === '/health/ready')).toMatchObject({ level: 'debug', status: 503 });
  });

  it('counts requests by operation, outcome and status, and authority calls by result, in Prometheus format', async () => {
    await put([['Authorization', 'Bearer rat-42']]);
    await put([['Authorization', 'Bearer rat-42']]);
    await put([]);
    await send(`${gateway.adminUrl}/health/live`, { method: 'GET' });
    await send(`${gateway.adminUrl}/wp-admin`, { method: 'GET' });

    const response = await send(`${gateway.adminUrl}/metrics`, { method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = response.body;
    expect(sample(metrics, 'dcr_requests_duration_seconds_count', 'operation="update",outcome="updated",status="200"')).toBe(2);
    expect(sample(metrics, 'dcr_requests_duration_seconds_count', 'operation="update",outcome="refused",status="401"')).toBe(1);
    expect(sample(metrics, 'dcr_authority_calls_duration_seconds_count', 'operation="update",result="UPDATED"')).toBe(2);
    expect(sample(metrics, 'dcr_requests_duration_seconds_bucket', 'le="+Inf",operation="update",outcome="updated",status="200"')).toBe(2);
    expect(metrics).not.toContain('operation="none",outcome="refused",status="200"');
    // What the admin listener answers is the platform's, not a client request.
    expect(metrics).not.toContain('status="404"');
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('counts authority failures by cause', async () => {
    authority.answers({ kind: 'failure', failure: { cause: 'timeout', timeoutMs: 2000 } });
    await put([['Authorization', 'Bearer rat-42']]);
    authority.answers(decision('UPDATED', '{"client_id":"42"}'));

    const metrics = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
    expect(sample(metrics, 'dcr_authority_calls_duration_seconds_count', 'operation="update",result="timeout"')).toBe(1);
    expect(sample(metrics, 'dcr_requests_duration_seconds_count', 'operation="update",outcome="authority_unavailable",status="504"')).toBe(1);
  });

  it('counts an action the operation cannot return as unexpected_action, the failure it is, not as that action', async () => {
    authority.answers(decision('CREATED', '{"client_id":"42"}'));
    expect((await put([['Authorization', 'Bearer rat-42']])).status).toBe(502);
    authority.answers(decision('UPDATED', '{"client_id":"42"}'));

    const metrics = (await send(`${gateway.adminUrl}/metrics`, { method: 'GET' })).body;
    expect(sample(metrics, 'dcr_authority_calls_duration_seconds_count', 'operation="update",result="unexpected_action"')).toBe(1);
    expect(sample(metrics, 'dcr_authority_calls_duration_seconds_count', 'operation="update",result="CREATED"')).toBeUndefined();
  });
});

describe('the admin listener, given what is not a probe', () => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(testConfig(), new FakeAuthority());
  });
  afterAll(() => gateway.stop());

  /** The whole answer to `bytes` written on a new connection, once the listener closes it or answers one request. */
  const rawAnswer = (bytes: string): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect(Number(new URL(gateway.adminUrl).port), '127.0.0.1', () => socket.write(bytes));
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        const head = text.indexOf('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? Number.NaN);
        if (head >= 0 && text.length >= head + 4 + length) socket.destroy();
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(text));
    });

  it.each([
    ['an HTTP/1.1 request without Host', 'GET /health/live HTTP/1.1\r\n\r\n', 400],
    ['an expectation it cannot meet', 'GET /health/live HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n', 417],
    ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 501],
  ])('answers %s in the gateway\'s JSON, as the public listener does', async (_, bytes, status) => {
    const answer = await rawAnswer(bytes);

    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(answer).toMatch(/\r\ncontent-type: application\/json\r\n/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: expect.any(String), error_description: expect.any(String) });
  });
});

describe('ADMIN_PORT equal to PORT', () => {
  it('keeps one listener for the registration endpoints, the probes and the metrics', async () => {
    const port = await freePort();
    const gateway = await startGatewayUnderTest(testConfig({ PORT: port, ADMIN_PORT: port }), new FakeAuthority());
    try {
      expect(gateway.adminUrl).toBe(gateway.url);
      expect((await send(`${gateway.url}/health/ready`, { method: 'GET' })).status).toBe(200);
      expect((await send(`${gateway.url}/metrics`, { method: 'GET' })).status).toBe(200);
      expect((await send(`${gateway.url}/register/42`, { method: 'GET' })).status).toBe(401);
    } finally {
      await gateway.stop();
    }
  });
});
