import type { GatewayConfig } from '../../../src/config/gateway-config';
import { loadConfig } from '../../../src/config/load-config';

const account = {
  AUTHLETE_BASE_URL: 'https://us.authlete.com/',
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

describe('loadConfig', () => {
  it('fills the documented defaults', () => {
    const config = loaded(account);
    expect(config.authority.kind).toBe('authlete');
    if (config.authority.kind !== 'authlete') return;
    expect(config.authority.account).toMatchObject({ baseUrl: 'https://us.authlete.com', serviceId: '715948317' });
    expect(config.authority.account.serviceAccessToken.reveal()).toBe('svc-token-do-not-print');
    expect(config.authleteCalls).toEqual({ timeoutMs: 10_000, maxConnections: 128, maxPending: 256, breakerFailures: 5, breakerCooldownMs: 10_000 });
    expect(config.http).toEqual({
      port: 8080,
      host: undefined,
      registrationPath: '/register',
      bodyLimitBytes: 65_536,
      shutdownGraceMs: 15_000,
      shutdownDelayMs: 5_000,
      maxConnections: 640,
    });
    expect(config.logLevel).toBe('info');
  });

  it('takes every setting from the environment', () => {
    const config = loaded({
      ...account,
      AUTHLETE_TIMEOUT_MS: '2500',
      AUTHLETE_MAX_CONNECTIONS: '8',
      PORT: '9090',
      HOST: '127.0.0.1',
      REGISTRATION_PATH: '/api/register',
      LOG_LEVEL: 'debug',
      BODY_LIMIT_BYTES: '2048',
      SHUTDOWN_GRACE_MS: '3000',
      SHUTDOWN_DELAY_MS: '1500',
      MAX_CONNECTIONS: '300',
      AUTHLETE_MAX_PENDING: '40',
      AUTHLETE_BREAKER_FAILURES: '3',
      AUTHLETE_BREAKER_COOLDOWN_MS: '2000',
    });
    expect(config.authleteCalls).toEqual({ timeoutMs: 2500, maxConnections: 8, maxPending: 40, breakerFailures: 3, breakerCooldownMs: 2000 });
    expect(config.http).toEqual({
      port: 9090,
      host: '127.0.0.1',
      registrationPath: '/api/register',
      bodyLimitBytes: 2048,
      shutdownGraceMs: 3000,
      shutdownDelayMs: 1500,
      maxConnections: 300,
    });
    expect(config.logLevel).toBe('debug');
  });

  it('admits, by default, two requests per connection to Authlete', () => {
    expect(loaded({ ...account, AUTHLETE_MAX_CONNECTIONS: '10' }).authleteCalls.maxPending).toBe(20);
  });

  it('treats an empty variable as unset', () => {
    expect(loaded({ ...account, PORT: '', LOG_LEVEL: '' }).http.port).toBe(8080);
  });

  it('chooses the embedded mock when no account setting is given outside production', () => {
    expect(loaded({}).authority).toEqual({
      kind: 'embedded_mock',
      mock: { managementBaseUrl: undefined, unauthorizedOnClientConfigSupported: true },
    });
    expect(
      loaded({ NODE_ENV: 'development', MOCK_MANAGEMENT_BASE_URL: 'https://as.example.com/register/', MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: 'false' })
        .authority,
    ).toEqual({
      kind: 'embedded_mock',
      mock: { managementBaseUrl: 'https://as.example.com/register', unauthorizedOnClientConfigSupported: false },
    });
  });

  it('refuses to run on the embedded mock when NODE_ENV=production', () => {
    const found = problems({ NODE_ENV: 'production' });
    expect(found).toHaveLength(3);
    expect(found.every((problem) => problem.includes('when NODE_ENV=production'))).toBe(true);
  });

  it('wants the whole account once any part of it is given', () => {
    expect(problems({ AUTHLETE_BASE_URL: 'https://us.authlete.com' }).map((p) => p.split(' ')[0])).toEqual([
      'AUTHLETE_SERVICE_ID',
      'AUTHLETE_SERVICE_ACCESS_TOKEN',
    ]);
  });

  it('reports one line per problem, naming the variable', () => {
    const found = problems({
      AUTHLETE_BASE_URL: 'ftp://example.com',
      AUTHLETE_TIMEOUT_MS: 'soon',
      PORT: '70000',
      REGISTRATION_PATH: '/register/',
      LOG_LEVEL: 'loud',
      MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: 'yes',
    });
    expect(found.map((problem) => problem.split(' ')[0]).sort()).toEqual(
      [
        'AUTHLETE_BASE_URL',
        'AUTHLETE_SERVICE_ACCESS_TOKEN',
        'AUTHLETE_SERVICE_ID',
        'AUTHLETE_TIMEOUT_MS',
        'LOG_LEVEL',
        'MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG',
        'PORT',
        'REGISTRATION_PATH',
      ].sort(),
    );
    for (const problem of found) expect(problem).not.toContain('\n');
  });

  it('never repeats a value back, so a misplaced secret stays out of the output', () => {
    const found = problems({ ...account, AUTHLETE_BASE_URL: 'svc-token-do-not-print', PORT: 'svc-token-do-not-print' });
    expect(found.join('\n')).not.toContain('svc-token-do-not-print');
  });
});
