import type { GatewayConfig } from '../../src/config/gateway-config';
import { Secret } from '../../src/domain/secret';

export const SERVICE_TOKEN = 'svc-token-Zx81-never-log-me';

/** A gateway configuration for tests: loopback, an ephemeral port, and the given Authlete base URL. */
export function testConfig(overrides: { authleteBaseUrl?: string; timeoutMs?: number; bodyLimitBytes?: number } = {}): GatewayConfig {
  return {
    authlete: {
      baseUrl: overrides.authleteBaseUrl ?? 'http://127.0.0.1:9',
      serviceId: '715948317',
      serviceAccessToken: new Secret(SERVICE_TOKEN),
      timeoutMs: overrides.timeoutMs ?? 2_000,
      maxConnections: 16,
    },
    http: {
      port: 0,
      host: '127.0.0.1',
      registrationPath: '/register',
      bodyLimitBytes: overrides.bodyLimitBytes ?? 64 * 1024,
    },
    logLevel: 'silent',
  };
}
