import { resolve } from 'node:path';
import { startStatefulMock, type RunningStatefulMock } from '../../mock/stateful/stateful-mock';
import { startGatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver';
import { ROOT } from '../support/paths.mts';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy';

const REPORT = resolve(ROOT, 'test', 'support', 'report-loaded-modules.cjs');

async function modulesLoaded(env: Record<string, string>): Promise<number> {
  const gateway = await startGatewayProcess({ NODE_OPTIONS: `--require ${REPORT}`, ...env });
  const answer = await send(`${gateway.url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"redirect_uris":["https://a.example/cb"]}' });
  expect(answer.status).toBe(201);
  expect(await gateway.stop()).toBe(0);
  const count = /opentelemetry sdk modules loaded: (\d+)/.exec(gateway.output())?.[1];
  if (count === undefined) throw new Error(`no module report in the output:\n${gateway.output()}`);
  return Number(count);
}

describe('tracing switched by the standard OTLP variables', () => {
  it('loads no module of the OpenTelemetry SDK without an OTLP endpoint', async () => {
    expect(await modulesLoaded({})).toBe(0);
  });

  it('loads the SDK when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set', async () => {
    const collector = await startOtlpReceiver();
    try {
      expect(await modulesLoaded({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBeGreaterThan(0);
    } finally {
      await collector.close();
    }
  });

  it('loads none of it when OTEL_SDK_DISABLED=true, whatever the endpoint', async () => {
    expect(await modulesLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'true' })).toBe(0);
  });
});

describe("the OpenTelemetry SDK's own variables", () => {
  let collector: OtlpReceiver;
  let authlete: RunningStatefulMock;
  let front: RecordingProxy;

  beforeAll(async () => {
    collector = await startOtlpReceiver();
    authlete = await startStatefulMock({ managementBaseUrl: 'http://127.0.0.1/register', serviceId: 'otel-e2e', serviceAccessToken: 'otel-e2e-token' });
    front = await startRecordingProxy(authlete.url);
  });
  afterAll(() => Promise.all([collector.close(), front.close(), authlete.close()]));

  const register = (url: string, traceparent: string) =>
    send(`${url}/register`, {
      method: 'POST',
      headers: [['Content-Type', 'application/json'], ['traceparent', traceparent]],
      body: '{"redirect_uris":["https://a.example/cb"]}',
    });
  const account = () => ({ AUTHLETE_BASE_URL: front.url, AUTHLETE_SERVICE_ID: 'otel-e2e', AUTHLETE_SERVICE_ACCESS_TOKEN: 'otel-e2e-token' });

  it('exports OTLP/protobuf unless OTEL_EXPORTER_OTLP_PROTOCOL says otherwise', async () => {
    const gateway = await startGatewayProcess({ ...account(), OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '50' });
    try {
      expect((await register(gateway.url, '00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).status).toBe(201);
      await collector.until(() => collector.contentTypes.includes('application/x-protobuf'));
    } finally {
      await gateway.stop();
    }
  });

  it('samples as OTEL_TRACES_SAMPLER says: always_off sends the trace on to Authlete unsampled', async () => {
    const gateway = await startGatewayProcess({ ...account(), OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_TRACES_SAMPLER: 'always_off' });
    try {
      front.calls.length = 0;
      expect((await register(gateway.url, '00-6bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).status).toBe(201);
      expect(front.calls[0]?.headers['traceparent']).toMatch(/^00-6bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
    } finally {
      await gateway.stop();
    }
  });
});
