import type { AuthleteV3Settings, GATEWAY_SETTINGS, GatewayConfig } from '../../src/config/gateway-config';
import { loadConfig } from '../../src/config/load-config';

export const SERVICE_TOKEN = 'svc-token-Zx81-never-log-me';
export const SERVICE_ID = '715948317';
export const SERVICE_API_KEY = '10723797812772';
export const SERVICE_API_SECRET = 'svc-secret-Qw47-never-log-me';

type SettingName = keyof typeof GATEWAY_SETTINGS;

/** Settings as the environment gives them (numbers are written for you); an empty string unsets one. */
export type TestSettings = Partial<Record<SettingName | `${SettingName}_FILE`, string | number>>;

/** What tests change from the production defaults: loopback, an ephemeral port, quiet logs, short waits. */
const TEST_ENVIRONMENT: TestSettings = {
  AUTHLETE_BASE_URL: 'http://127.0.0.1:9',
  AUTHLETE_SERVICE_ID: SERVICE_ID,
  AUTHLETE_SERVICE_ACCESS_TOKEN: SERVICE_TOKEN,
  AUTHLETE_TIMEOUT_MS: 2_000,
  AUTHLETE_MAX_CONNECTIONS: 16,
  PORT: 0,
  HOST: '127.0.0.1',
  SHUTDOWN_GRACE_MS: 5_000,
  // The probes and metrics on a listener of their own, on a free port, as they are deployed.
  ADMIN_PORT: 0,
  // A test that counts the calls its Authlete receives would count the check's call too; its own tests turn it on.
  AUTHLETE_STARTUP_CHECK: 'off',
  // A test gateway stops at once; the shutdown delay is tested where it is asked for.
  SHUTDOWN_DELAY_MS: 0,
  // The fault tests make one gateway fail call after call; the breaker is tested where it is asked for.
  AUTHLETE_BREAKER_FAILURES: 1_000,
  LOG_LEVEL: 'silent',
  // The protocol's tests register far more often than a deployment allows one address to; the limits' own tests
  // switch them on.
  LIMIT_REGISTRATIONS_PER_IP: 'off',
  LIMIT_REGISTRATIONS_TOTAL: 'off',
  LIMIT_AUTH_FAILURES_PER_IP: 'off',
};

/** Unsets the Authlete account, so that the embedded stateful mock decides registrations. */
export const EMBEDDED_MOCK: TestSettings = { AUTHLETE_BASE_URL: '', AUTHLETE_SERVICE_ID: '', AUTHLETE_SERVICE_ACCESS_TOKEN: '' };

/** Authlete API v2 instead of v3: the API key and secret in place of the service ID and token. */
export const V2_ACCOUNT: TestSettings = {
  AUTHLETE_API_VERSION: 'v2',
  AUTHLETE_SERVICE_ID: '',
  AUTHLETE_SERVICE_ACCESS_TOKEN: '',
  AUTHLETE_SERVICE_API_KEY: SERVICE_API_KEY,
  AUTHLETE_SERVICE_API_SECRET: SERVICE_API_SECRET,
};

/**
 * A gateway configuration for tests, read by the real loader from the test environment plus the overrides: every
 * other setting gets the default the service itself would use, and a value the service would refuse fails the test.
 */
export function testConfig(overrides: TestSettings = {}): GatewayConfig {
  const env = Object.fromEntries(Object.entries({ ...TEST_ENVIRONMENT, ...overrides }).map(([name, value]) => [name, String(value)]));
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`the test configuration is invalid:\n${loaded.problems.join('\n')}`);
  return loaded.config;
}

/** The (v3) Authlete settings a test configuration resolves to. */
export function testAuthleteSettings(overrides: TestSettings = {}): AuthleteV3Settings {
  const config = testConfig(overrides);
  if (config.authority.kind !== 'authlete' || config.authority.account.apiVersion !== 'v3') throw new Error('this test configuration names no Authlete v3 account');
  return { ...config.authority.account, ...config.authleteCalls };
}
