import type { ExposureSettings } from '../../src/config/exposure-settings';
import type { AuthleteSettings, GatewayConfig } from '../../src/config/gateway-config';
import { Secret } from '../../src/domain/secret';

export const SERVICE_TOKEN = 'svc-token-Zx81-never-log-me';
export const SERVICE_ID = '715948317';

interface TestOverrides {
  readonly authleteBaseUrl?: string;
  readonly timeoutMs?: number;
  readonly bodyLimitBytes?: number;
  readonly shutdownGraceMs?: number;
  /** Decide registrations with the embedded stateful mock instead of an Authlete at authleteBaseUrl. */
  readonly embeddedMock?: boolean;
  /** Access policy, limits, CORS and audit; by default open, unlimited, no CORS, no audit. */
  readonly exposure?: Partial<ExposureSettings>;
}

/** Everything off: what the tests of the protocol run with, so that no limit gets in their way. */
export const OPEN_EXPOSURE: ExposureSettings = {
  registrationAccess: { kind: 'open' },
  limits: { registrationsPerIp: undefined, registrationsTotal: undefined, authFailuresPerIp: undefined, redis: undefined },
  cors: undefined,
  audit: { kind: 'off' },
  trustProxyHops: 0,
};

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
    authleteCalls: { timeoutMs: overrides.timeoutMs ?? 2_000, maxConnections: 16 },
    http: {
      port: 0,
      host: '127.0.0.1',
      registrationPath: '/register',
      bodyLimitBytes: overrides.bodyLimitBytes ?? 64 * 1024,
      shutdownGraceMs: overrides.shutdownGraceMs ?? 5_000,
    },
    exposure: { ...OPEN_EXPOSURE, ...overrides.exposure },
    logLevel: 'silent',
  };
}

/** The Authlete settings a test configuration resolves to. */
export function testAuthleteSettings(overrides: TestOverrides = {}): AuthleteSettings {
  const config = testConfig(overrides);
  if (config.authority.kind !== 'authlete') throw new Error('unreachable');
  return { ...config.authority.account, ...config.authleteCalls };
}
