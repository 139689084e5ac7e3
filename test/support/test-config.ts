import type { AuthleteSettings, GatewayConfig } from '../../src/config/gateway-config';
import { Secret } from '../../src/domain/secret';

export const SERVICE_TOKEN = 'svc-token-Zx81-never-log-me';
export const SERVICE_ID = '715948317';

interface TestOverrides {
  readonly authleteBaseUrl?: string;
  readonly timeoutMs?: number;
  readonly bodyLimitBytes?: number;
  readonly shutdownGraceMs?: number;
  readonly shutdownDelayMs?: number;
  readonly maxConnections?: number;
  readonly authleteMaxConnections?: number;
  readonly maxPending?: number;
  readonly breakerFailures?: number;
  readonly breakerCooldownMs?: number;
  /** Decide registrations with the embedded stateful mock instead of an Authlete at authleteBaseUrl. */
  readonly embeddedMock?: boolean;
}

/** A gateway configuration for tests: loopback, an ephemeral port, and the given Authlete base URL. */
export function testConfig(overrides: TestOverrides = {}): GatewayConfig {
  return {
    authority:
      overrides.embeddedMock === true
        ? { kind: 'embedded_mock', mock: { managementBaseUrl: undefined, unauthorizedOnClientConfigSupported: true } }
        : {
            kind: 'authlete',
            account: {
              baseUrl: overrides.authleteBaseUrl ?? 'http://127.0.0.1:9',
              serviceId: SERVICE_ID,
              serviceAccessToken: new Secret(SERVICE_TOKEN),
            },
          },
    authleteCalls: {
      timeoutMs: overrides.timeoutMs ?? 2_000,
      maxConnections: overrides.authleteMaxConnections ?? 16,
      maxPending: overrides.maxPending ?? 2 * (overrides.authleteMaxConnections ?? 16),
      breakerFailures: overrides.breakerFailures ?? 1_000,
      breakerCooldownMs: overrides.breakerCooldownMs ?? 10_000,
    },
    http: {
      port: 0,
      host: '127.0.0.1',
      registrationPath: '/register',
      bodyLimitBytes: overrides.bodyLimitBytes ?? 64 * 1024,
      shutdownGraceMs: overrides.shutdownGraceMs ?? 5_000,
      shutdownDelayMs: overrides.shutdownDelayMs ?? 0,
      maxConnections: overrides.maxConnections ?? 640,
    },
    logLevel: 'silent',
  };
}

/** The Authlete settings a test configuration resolves to. */
export function testAuthleteSettings(overrides: TestOverrides = {}): AuthleteSettings {
  const config = testConfig(overrides);
  if (config.authority.kind !== 'authlete') throw new Error('unreachable');
  return { ...config.authority.account, ...config.authleteCalls };
}
