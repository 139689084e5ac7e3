import { loadConfig } from '../../../src/config/load-config';
import { EMBEDDED_MOCK, SERVICE_ID, testConfig } from '../../support/test-config';

describe('testConfig: test configurations built by the real loader', () => {
  it('gives every setting a test leaves alone the default the service itself uses', () => {
    const service = loadConfig({ AUTHLETE_BASE_URL: 'http://127.0.0.1:9', AUTHLETE_SERVICE_ID: SERVICE_ID, AUTHLETE_SERVICE_ACCESS_TOKEN: 't' });
    if (!service.ok) throw new Error(service.problems.join('\n'));
    const test = testConfig();
    expect(test.http.keepAliveTimeoutMs).toBe(service.config.http.keepAliveTimeoutMs);
    expect(test.http.registrationPath).toBe(service.config.http.registrationPath);
    expect(test.http.bodyLimitBytes).toBe(service.config.http.bodyLimitBytes);
  });

  it('takes overrides by their environment names, as the service reads them', () => {
    const config = testConfig({ BODY_LIMIT_BYTES: 4096, REGISTRATION_PATH: '/dcr', KEEP_ALIVE_TIMEOUT_MS: '1000' });
    expect(config.http).toMatchObject({ bodyLimitBytes: 4096, registrationPath: '/dcr', keepAliveTimeoutMs: 1000, port: 0, host: '127.0.0.1' });
    expect(testConfig(EMBEDDED_MOCK).authority.kind).toBe('embedded_mock');
  });

  it('refuses what the service would refuse, so a test cannot run on a configuration no one could deploy', () => {
    expect(() => testConfig({ BODY_LIMIT_BYTES: 10 })).toThrow(/BODY_LIMIT_BYTES must be a whole number/);
    expect(() => testConfig({ AUTHLETE_SERVICE_ID: '' })).toThrow(/AUTHLETE_SERVICE_ID is required/);
  });
});
