import { loadConfig } from '../../../src/config/load-config';

const minimal = {
  AUTHLETE_BASE_URL: 'https://us.authlete.com/',
  AUTHLETE_SERVICE_ID: '715948317',
  AUTHLETE_SERVICE_ACCESS_TOKEN: 'svc-token-do-not-print',
};

describe('loadConfig', () => {
  it('fills the documented defaults', () => {
    const result = loadConfig(minimal);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.authlete).toMatchObject({
      baseUrl: 'https://us.authlete.com',
      serviceId: '715948317',
      timeoutMs: 10_000,
    });
    expect(result.config.authlete.serviceAccessToken.reveal()).toBe('svc-token-do-not-print');
    expect(result.config.http).toEqual({ port: 8080, host: undefined, registrationPath: '/register', bodyLimitBytes: 65_536 });
    expect(result.config.logLevel).toBe('info');
  });

  it('takes every setting from the environment', () => {
    const result = loadConfig({
      ...minimal,
      AUTHLETE_TIMEOUT_MS: '2500',
      PORT: '9090',
      HOST: '127.0.0.1',
      REGISTRATION_PATH: '/api/register',
      LOG_LEVEL: 'debug',
      BODY_LIMIT_BYTES: '2048',
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.authlete.timeoutMs).toBe(2500);
    expect(result.config.http).toEqual({ port: 9090, host: '127.0.0.1', registrationPath: '/api/register', bodyLimitBytes: 2048 });
    expect(result.config.logLevel).toBe('debug');
  });

  it('treats an empty variable as unset', () => {
    const result = loadConfig({ ...minimal, PORT: '', LOG_LEVEL: '' });
    expect(result.ok && result.config.http.port).toBe(8080);
  });

  it('reports one line per problem, naming the variable', () => {
    const result = loadConfig({
      AUTHLETE_BASE_URL: 'ftp://example.com',
      AUTHLETE_TIMEOUT_MS: 'soon',
      PORT: '70000',
      REGISTRATION_PATH: '/register/',
      LOG_LEVEL: 'loud',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const named = result.problems.map((problem) => problem.split(' ')[0]);
    expect(named.sort()).toEqual(
      [
        'AUTHLETE_BASE_URL',
        'AUTHLETE_SERVICE_ACCESS_TOKEN',
        'AUTHLETE_SERVICE_ID',
        'AUTHLETE_TIMEOUT_MS',
        'LOG_LEVEL',
        'PORT',
        'REGISTRATION_PATH',
      ].sort(),
    );
    for (const problem of result.problems) expect(problem).not.toContain('\n');
  });

  it('never repeats a value back, so a misplaced secret stays out of the output', () => {
    const result = loadConfig({ ...minimal, AUTHLETE_BASE_URL: 'svc-token-do-not-print', PORT: 'svc-token-do-not-print' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).not.toContain('svc-token-do-not-print');
  });
});
