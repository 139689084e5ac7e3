import type { GatewayConfig } from '../../../src/config/gateway-config';
import { loadConfig } from '../../../src/config/load-config';

const account = {
  AUTHLETE_BASE_URL: 'https://us.authlete.com',
  AUTHLETE_SERVICE_ID: '715948317',
  AUTHLETE_SERVICE_ACCESS_TOKEN: 'svc-token-do-not-print',
};

function loaded(env: Record<string, string>): GatewayConfig {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
}

function problems(env: Record<string, string>): readonly string[] {
  const result = loadConfig(env);
  if (result.ok) throw new Error('the configuration was accepted');
  return result.problems;
}

describe('the settings for running on a platform', () => {
  it('puts the probes on admin port 9000 of the same interfaces by default, and keeps one listener when ADMIN_PORT equals PORT', () => {
    expect(loaded(account).admin).toEqual({ port: 9000, host: undefined, sharesPublicListener: false });
    expect(loaded({ ...account, HOST: '10.0.0.5' }).admin.host).toBe('10.0.0.5');
    expect(loaded({ ...account, ADMIN_HOST: '127.0.0.1', ADMIN_PORT: '9100' }).admin).toEqual({ port: 9100, host: '127.0.0.1', sharesPublicListener: false });
    expect(loaded({ ...account, PORT: '8080', ADMIN_PORT: '8080' }).admin.sharesPublicListener).toBe(true);
    expect(problems({ ...account, PORT: '8080', ADMIN_PORT: '8080', ADMIN_HOST: '127.0.0.1' })).toEqual([
      'ADMIN_HOST must be unset or equal to HOST when ADMIN_PORT equals PORT: one listener serves both',
    ]);
    // 0 asks for any free port: two of them are two listeners.
    expect(loaded({ ...account, PORT: '0', ADMIN_PORT: '0' }).admin.sharesPublicListener).toBe(false);
  });

  it('checks the credentials at start and only warns by default; fail, warn and off are the choices', () => {
    expect(loaded(account).startupCheck).toBe('warn');
    expect(loaded({ ...account, AUTHLETE_STARTUP_CHECK: 'fail' }).startupCheck).toBe('fail');
    expect(problems({ ...account, AUTHLETE_STARTUP_CHECK: 'strict' })).toEqual(['AUTHLETE_STARTUP_CHECK must be one of fail, warn, off']);
  });

  it('turns tracing on with an OTLP endpoint only, and off again with the SDK own switches', () => {
    expect(loaded(account).tracing.enabled).toBe(false);
    expect(loaded({ ...account, OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }).tracing.enabled).toBe(false);
    expect(loaded({ ...account, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing.enabled).toBe(true);
    expect(loaded({ ...account, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).tracing.enabled).toBe(true);
    expect(loaded({ ...account, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }).tracing.enabled).toBe(false);
    expect(loaded({ ...account, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing.enabled).toBe(false);
    expect(problems({ ...account, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })[0]).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http or https URL/);
  });

  it('reads the egress proxies as curl and undici do, lower-case spelling first', () => {
    expect(loaded(account).authleteCalls.proxies).toEqual({ httpsProxy: undefined, httpProxy: undefined, noProxy: undefined });
    const env = { ...account, HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'http://plain:3128', NO_PROXY: '.internal' };
    expect(loaded(env).authleteCalls.proxies).toEqual({ httpsProxy: 'http://lower:3128', httpProxy: 'http://plain:3128', noProxy: '.internal' });
  });

  it('refuses a malformed proxy URL without repeating it: it may hold the proxy password', () => {
    const found = problems({ ...account, HTTPS_PROXY: 'user:s3cret-proxy-pass@proxy' });
    expect(found).toEqual(['HTTPS_PROXY must be an http or https URL, such as http://proxy.internal:3128']);
  });
});
