import { resolve } from 'node:path';
import { startGatewayProcess } from '../support/gateway-process';
import { send } from '../support/http-client';
import { ROOT } from '../support/paths';

const REPORT = resolve(ROOT, 'test', 'support', 'report-otel-modules.cjs');

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

  it('loads the SDK when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, and not when OTEL_SDK_DISABLED=true', async () => {
    // Nothing listens on port 9: export fails quietly, which must not touch the request path.
    expect(await modulesLoaded({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces' })).toBeGreaterThan(0);
    expect(await modulesLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'true' })).toBe(0);
  });
});
