import type { AuthleteV2Settings, AuthleteV3Settings, GatewayConfig } from '../../src/config/gateway-config';
import { Secret } from '../../src/domain/secret';

export const SERVICE_TOKEN = 'svc-token-Zx81-never-log-me';
export const SERVICE_ID = '715948317';
export const SERVICE_API_KEY = '10723797812772';
export const SERVICE_API_SECRET = 'svc-secret-Qw47-never-log-me';

interface TestOverrides {
  readonly authleteBaseUrl?: string;
  readonly timeoutMs?: number;
  readonly bodyLimitBytes?: number;
  readonly shutdownGraceMs?: number;
  /** Decide registrations with the embedded stateful mock instead of an Authlete at authleteBaseUrl. */
  readonly embeddedMock?: boolean;
  /** The Authlete API version the gateway speaks (v3 unless said). */
  readonly apiVersion?: 'v3' | 'v2';
}

/** A gateway configuration for tests: loopback, an ephemeral port, and the given Authlete base URL. */
export function testConfig(overrides: TestOverrides = {}): GatewayConfig {
  return {
    authority:
      overrides.embeddedMock === true
        ? { kind: 'embedded_mock', mock: { apiVersion: overrides.apiVersion ?? 'v3', managementBaseUrl: undefined, unauthorizedOnClientConfigSupported: true } }
        : {
            kind: 'authlete',
            account:
              overrides.apiVersion === 'v2'
                ? {
                    apiVersion: 'v2',
                    baseUrl: overrides.authleteBaseUrl ?? 'http://127.0.0.1:9',
                    serviceApiKey: SERVICE_API_KEY,
                    serviceApiSecret: new Secret(SERVICE_API_SECRET),
                  }
                : {
                    apiVersion: 'v3',
                    baseUrl: overrides.authleteBaseUrl ?? 'http://127.0.0.1:9',
                    serviceId: SERVICE_ID,
                    serviceAccessToken: new Secret(SERVICE_TOKEN),
                  },
          },
    authleteCalls: { timeoutMs: overrides.timeoutMs ?? 2_000, maxConnections: 16 },
    http: {
      port: 0,
      host: '127.0.0.1',
      registrationPath: '/register',
      bodyLimitBytes: overrides.bodyLimitBytes ?? 64 * 1024,
      shutdownGraceMs: overrides.shutdownGraceMs ?? 5_000,
    },
    logLevel: 'silent',
  };
}

/** The v3 Authlete settings a test configuration resolves to. */
export function testAuthleteSettings(overrides: TestOverrides = {}): AuthleteV3Settings {
  const config = testConfig({ ...overrides, apiVersion: 'v3' });
  if (config.authority.kind !== 'authlete' || config.authority.account.apiVersion !== 'v3') throw new Error('unreachable');
  return { ...config.authority.account, ...config.authleteCalls };
}

/** The v2 Authlete settings a test configuration resolves to. */
export function testAuthleteV2Settings(overrides: TestOverrides = {}): AuthleteV2Settings {
  const config = testConfig({ ...overrides, apiVersion: 'v2' });
  if (config.authority.kind !== 'authlete' || config.authority.account.apiVersion !== 'v2') throw new Error('unreachable');
  return { ...config.authority.account, ...config.authleteCalls };
}
