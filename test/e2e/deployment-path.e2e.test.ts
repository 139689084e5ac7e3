import { startStatefulMock, type RunningStatefulMock } from '../../mock/stateful/stateful-mock';
import { PROBE_PATHS } from '../../src/adapters/http/probe-paths';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy';
import { jsonLines, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';
import { createTestCa, type TestCa } from '../support/test-ca';

const SERVICE_ID = 'deploy-e2e';
const SERVICE_TOKEN = 'svc-token-deploy-Qx7-never-export';
const INITIAL_ACCESS_TOKEN = 'iat-deploy-Lk2-never-export';
const CLIENT_NAME = 'metadata-body-marker-Vb9';
// A client's W3C trace context: version 00, its trace ID, its span ID, sampled.
const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';
const SERVER = 2;
const CLIENT = 3;

describe('in front of an Authlete reached over HTTPS through an egress proxy, traced', () => {
  let ca: TestCa;
  let authlete: RunningStatefulMock;
  let front: RecordingProxy;
  let proxy: ConnectProxy;
  let collector: OtlpReceiver;

  beforeAll(async () => {
    ca = createTestCa();
    authlete = await startStatefulMock({ managementBaseUrl: 'https://as.example.com/register', serviceId: SERVICE_ID, serviceAccessToken: SERVICE_TOKEN });
    // The HTTPS front end plays Authlete's own: the mock behind it answers, and the front writes down each call.
    front = await startRecordingProxy(authlete.url, { tls: { key: ca.key, cert: ca.cert } });
    proxy = await startConnectProxy();
    collector = await startOtlpReceiver();
  });
  afterAll(async () => {
    await Promise.all([front.close(), proxy.close(), collector.close(), authlete.close()]);
    ca.remove();
  });

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    AUTHLETE_BASE_URL: front.url,
    AUTHLETE_SERVICE_ID: SERVICE_ID,
    AUTHLETE_SERVICE_ACCESS_TOKEN: SERVICE_TOKEN,
    HTTPS_PROXY: proxy.url,
    NODE_EXTRA_CA_CERTS: ca.caFile,
    ...extra,
  });

  describe('with tracing on and the CA trusted', () => {
    let gateway: GatewayProcess;
    let registered: { status: number; body: string };
    let read: { status: number; body: string };
    const traceparent = ['traceparent', `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`] as const;

    beforeAll(async () => {
      gateway = await startGatewayProcess(
        env({
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_SERVICE_NAME: 'dcr-gateway-e2e',
          OTEL_BSP_SCHEDULE_DELAY: '50',
          AUTHLETE_STARTUP_CHECK: 'warn',
        }),
      );
      registered = await send(`${gateway.url}/register`, {
        method: 'POST',
        headers: [
          ['Content-Type', 'application/json'],
          ['Authorization', `Bearer ${INITIAL_ACCESS_TOKEN}`],
          traceparent,
          // A client's baggage is its own text: it is not passed on to Authlete.
          ['baggage', 'tenant=acme,debug=true'],
        ],
        body: JSON.stringify({ client_name: CLIENT_NAME, redirect_uris: ['https://app.example.com/cb'] }),
      });
      const client = JSON.parse(registered.body) as { client_id: string; registration_access_token: string };
      read = await send(`${gateway.url}/register/${client.client_id}`, {
        method: 'GET',
        headers: [['Authorization', `Bearer ${client.registration_access_token}`], traceparent],
      });
      await collector.until((spans) => spans.filter((span) => span.kind === SERVER && span.traceId === CLIENT_TRACE_ID).length === 2);
    });
    afterAll(() => gateway.stop());

    const traced = (): ReceivedSpan[] => collector.spans.filter((span) => span.traceId === CLIENT_TRACE_ID);

    it('registers and reads the client through the tunnel, trusting the CA from NODE_EXTRA_CA_CERTS', () => {
      expect(registered.status).toBe(201);
      expect(read.status).toBe(200);
      expect(gateway.output()).toContain('"check":"passed"');
    });

    it('continues the client trace: a server span under the client span, and a client span per Authlete call under it', () => {
      const server = traced().find((span) => span.kind === SERVER && span.name.startsWith('POST'));
      const calls = traced().filter((span) => span.kind === CLIENT && span.parentSpanId === server?.spanId);
      expect(server).toMatchObject({
        parentSpanId: CLIENT_SPAN_ID,
        name: 'POST /register',
        attributes: expect.objectContaining({
          'http.response.status_code': 201,
          'dcr.operation': 'register',
          'dcr.outcome': 'created',
          'dcr.client_id': (JSON.parse(registered.body) as { client_id: string }).client_id,
        }),
        resource: expect.objectContaining({ 'service.name': 'dcr-gateway-e2e' }),
      });
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        parentSpanId: server?.spanId,
        name: 'POST /api/{serviceId}/client/registration',
        attributes: expect.objectContaining({ 'http.response.status_code': 200, 'server.address': 'localhost' }),
      });
    });

    it('names the operation, outcome and client ID of a management request in its span', () => {
      const { client_id: clientId } = JSON.parse(read.body) as { client_id: string };
      const server = traced().find((span) => span.kind === SERVER && span.name.startsWith('GET'));
      expect(server).toMatchObject({
        parentSpanId: CLIENT_SPAN_ID,
        name: 'GET /register/:clientId',
        attributes: expect.objectContaining({ 'dcr.operation': 'read', 'dcr.outcome': 'ok', 'dcr.client_id': clientId, 'http.response.status_code': 200 }),
      });
      const call = traced().find((span) => span.kind === CLIENT && span.parentSpanId === server?.spanId);
      expect(call?.name).toBe('POST /api/{serviceId}/client/registration/get');
    });

    it('sends the trace on to Authlete: its traceparent names the client span', () => {
      const call = front.calls.find((recorded) => recorded.path === `/api/${SERVICE_ID}/client/registration`);
      const server = traced().find((span) => span.kind === SERVER && span.name.startsWith('POST'));
      const clientSpan = traced().find((span) => span.kind === CLIENT && span.parentSpanId === server?.spanId);
      expect(call?.headers['traceparent']).toBe(`00-${CLIENT_TRACE_ID}-${clientSpan?.spanId}-01`);
      expect(call?.headers['baggage']).toBeUndefined();
    });

    it('exports no token, secret or metadata in any span', () => {
      const issued = JSON.parse(registered.body) as { client_secret: string; registration_access_token: string };
      const exported = collector.bodies.join('\n');
      expect(exported).toContain(CLIENT_TRACE_ID);
      for (const secret of [SERVICE_TOKEN, INITIAL_ACCESS_TOKEN, issued.client_secret, issued.registration_access_token, CLIENT_NAME]) {
        expect(exported).not.toContain(secret);
      }
    });

    it('writes the trace and span IDs into the request log line', async () => {
      await gateway.waitForOutput(/"operation":"register"/);
      const line = jsonLines(gateway.output()).find((record) => record['operation'] === 'register');
      const server = traced().find((span) => span.kind === SERVER && span.name.startsWith('POST'));
      expect(line).toMatchObject({ traceId: CLIENT_TRACE_ID, spanId: server?.spanId, status: 201 });
    });

    it('sends the proxy only a CONNECT: no service token in its headers, and nothing readable through the tunnel', () => {
      const { port } = new URL(front.url);
      expect(proxy.plainRequests).toEqual([]);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      for (const tunnel of proxy.tunnels) {
        expect(tunnel.target).toBe(`localhost:${port}`);
        expect(JSON.stringify(tunnel.headers)).not.toContain(SERVICE_TOKEN);
        expect(tunnel.headers['authorization']).toBeUndefined();
        const bytes = Buffer.concat(tunnel.sent).toString('latin1');
        expect(bytes).not.toContain(SERVICE_TOKEN);
        expect(bytes).not.toContain('POST /api/');
      }
    });

    it('answers the probes on the admin port only; on the public port they are a JSON 404', async () => {
      expect(gateway.adminUrl).not.toBe(gateway.url);
      for (const path of PROBE_PATHS) {
        const admin = await send(`${gateway.adminUrl}${path}`, { method: 'GET' });
        const publicly = await send(`${gateway.url}${path}`, { method: 'GET' });
        expect(admin.status).toBe(200);
        expect(publicly.status).toBe(404);
        expect(JSON.parse(publicly.body)).toMatchObject({ error: expect.any(String) });
      }
      const registration = await send(`${gateway.adminUrl}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}' });
      expect(registration.status).toBe(404);
    });
  });

  it('refuses Authlete when the CA is not trusted: 502 for the client, a TLS failure in the log and in the start-up check', async () => {
    const { NODE_EXTRA_CA_CERTS: _trusted, ...untrusting } = env({ AUTHLETE_STARTUP_CHECK: 'warn' });
    const gateway = await startGatewayProcess(untrusting);
    try {
      const answer = await send(`${gateway.url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"redirect_uris":["https://a.example/cb"]}' });
      expect(answer.status).toBe(502);
      expect(answer.body).not.toMatch(/tls|cert/i);
      await gateway.waitForOutput(/"operation":"register"/);
      const lines = jsonLines(gateway.output());
      const request = lines.find((record) => record['operation'] === 'register');
      expect(request).toMatchObject({ status: 502, failure: { cause: 'tls_failure', code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/) } });
      const check = lines.find((record) => record['check'] === 'failed');
      expect(check).toMatchObject({ level: 'error', failure: { cause: 'tls_failure' }, fix: expect.stringContaining('NODE_EXTRA_CA_CERTS') });
    } finally {
      await gateway.stop();
    }
  });

  it('goes direct to a host NO_PROXY names: the proxy sees no tunnel', async () => {
    const before = proxy.tunnels.length;
    const gateway = await startGatewayProcess(env({ NO_PROXY: 'localhost' }));
    try {
      const answer = await send(`${gateway.url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"redirect_uris":["https://a.example/cb"]}' });
      expect(answer.status).toBe(201);
      expect(proxy.tunnels.length).toBe(before);
      expect(gateway.output()).toContain('"proxy":"none"');
    } finally {
      await gateway.stop();
    }
  });
});
