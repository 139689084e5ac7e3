import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(config.authority.account).toMatchObject({ apiVersion: 'v3', baseUrl: 'https://us.authlete.com', serviceId: '715948317' });
    expect(config.authority.account.apiVersion === 'v3' && config.authority.account.serviceAccessToken.reveal()).toBe('svc-token-do-not-print');
    expect(config.authleteCalls).toEqual({ timeoutMs: 10_000, maxConnections: 128, maxPending: 256, breakerFailures: 5, breakerCooldownMs: 10_000, proxies: { httpsProxy: undefined, httpProxy: undefined, noProxy: undefined } });
    expect(config.http).toEqual({
      port: 8080,
      host: undefined,
      registrationPath: '/register',
      bodyLimitBytes: 65_536,
      bodyTimeoutMs: 10_000,
      shutdownGraceMs: 15_000,
      keepAliveTimeoutMs: 65_000,
      shutdownDelayMs: 5_000,
      maxConnections: 640,
      maxConnectionsPerAddress: undefined,
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
      BODY_TIMEOUT_MS: '4000',
      SHUTDOWN_GRACE_MS: '3000',
      KEEP_ALIVE_TIMEOUT_MS: '75000',
      SHUTDOWN_DELAY_MS: '1500',
      MAX_CONNECTIONS: '300',
      MAX_CONNECTIONS_PER_IP: '30',
      AUTHLETE_MAX_PENDING: '40',
      AUTHLETE_BREAKER_FAILURES: '3',
      AUTHLETE_BREAKER_COOLDOWN_MS: '2000',
    });
    expect(config.authleteCalls).toEqual({ timeoutMs: 2500, maxConnections: 8, maxPending: 40, breakerFailures: 3, breakerCooldownMs: 2000, proxies: { httpsProxy: undefined, httpProxy: undefined, noProxy: undefined } });
    expect(config.http).toEqual({
      port: 9090,
      host: '127.0.0.1',
      registrationPath: '/api/register',
      bodyLimitBytes: 2048,
      bodyTimeoutMs: 4000,
      shutdownGraceMs: 3000,
      keepAliveTimeoutMs: 75_000,
      shutdownDelayMs: 1500,
      maxConnections: 300,
      maxConnectionsPerAddress: 30,
    });
    expect(config.logLevel).toBe('debug');
  });

  it.each(['0', '-1', '2.5', 'none', 'OFF', '1000001'])('refuses MAX_CONNECTIONS_PER_IP=%j', (value) => {
    expect(problems({ ...account, MAX_CONNECTIONS_PER_IP: value })).toEqual(['MAX_CONNECTIONS_PER_IP must be a whole number from 1 to 1000000, or off']);
  });

  it('refuses MAX_CONNECTIONS_PER_IP behind trusted proxies, where every client would share the proxy\'s cap', () => {
    expect(problems({ ...account, MAX_CONNECTIONS_PER_IP: '20', TRUST_PROXY_HOPS: '1' })).toEqual([
      expect.stringMatching(/^MAX_CONNECTIONS_PER_IP must be off when TRUST_PROXY_HOPS is above 0: it counts the connection's peer/),
    ]);
    expect(loaded({ ...account, MAX_CONNECTIONS_PER_IP: 'off', TRUST_PROXY_HOPS: '1' }).http.maxConnectionsPerAddress).toBeUndefined();
  });

  it('refuses MAX_CONNECTIONS_PER_IP above MAX_CONNECTIONS', () => {
    expect(problems({ ...account, MAX_CONNECTIONS: '100', MAX_CONNECTIONS_PER_IP: '101' })).toEqual(['MAX_CONNECTIONS_PER_IP must be at most MAX_CONNECTIONS (100)']);
  });

  it('admits, by default, two requests per connection to Authlete', () => {
    expect(loaded({ ...account, AUTHLETE_MAX_CONNECTIONS: '10' }).authleteCalls.maxPending).toBe(20);
  });

  it.each([
    ['AUTHLETE_BASE_URL', 'https://user:svc-token-do-not-print@us.authlete.com'],
    ['MOCK_MANAGEMENT_BASE_URL', 'https://svc-token-do-not-print@as.example.com/register'],
  ])('refuses a %s carrying a user name or password, which the start-up line would print', (name, value) => {
    const found = problems(name === 'AUTHLETE_BASE_URL' ? { ...account, [name]: value } : { [name]: value });
    expect(found).toEqual([`${name} must not carry a user name or password`]);
  });

  it.each(['..', '715948317/../../other', '71%2F5', '715948317 ', '715948317?x=1'])('refuses AUTHLETE_SERVICE_ID=%s, which would move the calls to another path', (serviceId) => {
    expect(problems({ ...account, AUTHLETE_SERVICE_ID: serviceId })).toEqual([expect.stringMatching(/^AUTHLETE_SERVICE_ID must be the service ID/)]);
  });

  it('treats an empty variable as unset', () => {
    expect(loaded({ ...account, PORT: '', LOG_LEVEL: '' }).http.port).toBe(8080);
  });

  it('chooses the embedded mock when no account setting is given outside production', () => {
    expect(loaded({}).authority).toEqual({
      kind: 'embedded_mock',
      mock: { apiVersion: 'v3', managementBaseUrl: undefined, unauthorizedOnClientConfigSupported: true },
    });
    expect(
      loaded({ NODE_ENV: 'development', MOCK_MANAGEMENT_BASE_URL: 'https://as.example.com/register/', MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: 'false' })
        .authority,
    ).toEqual({
      kind: 'embedded_mock',
      mock: { apiVersion: 'v3', managementBaseUrl: 'https://as.example.com/register', unauthorizedOnClientConfigSupported: false },
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

  it.each(['127.0.0.1', '0.0.0.0', '::', '::1', 'fe80::1', 'localhost', 'gateway.internal', 'dcr-0.dcr.default.svc.cluster.local'])(
    'listens on HOST=%s',
    (host) => {
      expect(loaded({ ...account, HOST: host }).http.host).toBe(host);
    },
  );

  it.each(['127.0.0.1:8080', '300.1.1.1', 'http://localhost', 'my_host', '-gateway', 'a..b', '[::1]', 'gateway.local/', 'svc-token-do-not-print!'])(
    'refuses HOST=%s before listening, without quoting it',
    (host) => {
      const found = problems({ ...account, HOST: host });
      expect(found).toEqual([expect.stringMatching(/^HOST must be an IP address or a DNS host name/)]);
      expect(found[0]).not.toContain(host);
    },
  );

  it('refuses a keep-alive timeout below a second', () => {
    expect(problems({ ...account, KEEP_ALIVE_TIMEOUT_MS: '500' })).toEqual([expect.stringMatching(/^KEEP_ALIVE_TIMEOUT_MS must be a whole number/)]);
  });
});

describe('loadConfig reading a secret from a file (<NAME>_FILE)', () => {
  let dir: string;
  const { AUTHLETE_SERVICE_ACCESS_TOKEN: token, ...accountWithoutToken } = account;
  const fileWith = (contents: string): string => {
    const path = join(dir, `token-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, contents);
    return path;
  };
  const tokenOf = (config: GatewayConfig): string =>
    config.authority.kind === 'authlete' && config.authority.account.apiVersion === 'v3' ? config.authority.account.serviceAccessToken.reveal() : '';

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'dcr-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the file contents, less one trailing newline', () => {
    expect(tokenOf(loaded({ ...accountWithoutToken, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: fileWith(`${token}\n`) }))).toBe(token);
    expect(tokenOf(loaded({ ...accountWithoutToken, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: fileWith(`${token}\r\n`) }))).toBe(token);
    expect(tokenOf(loaded({ ...accountWithoutToken, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: fileWith(token) }))).toBe(token);
  });

  it.each([
    ['two trailing newlines', `${token}\n\n`],
    ['a trailing space', `${token} \n`],
    ['spaces around it', ` ${token} `],
    ['two lines', `${token}\nsecond-line`],
    ['a byte that is not ASCII', `${token}\u00e9`],
  ])('refuses a token file with %s, naming the _FILE variable and the path, quoting none of the contents', (_, contents) => {
    const path = fileWith(contents);
    const found = problems({ ...accountWithoutToken, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: path });
    expect(found).toEqual([
      `AUTHLETE_SERVICE_ACCESS_TOKEN_FILE names a file whose contents must be one line of visible ASCII characters without spaces, one trailing newline aside: ${path}`,
    ]);
    expect(found[0]).not.toContain(token);
  });

  it('names the _FILE variable and the path for the contents of every secret read from a file', () => {
    const v2 = { AUTHLETE_API_VERSION: 'v2', AUTHLETE_BASE_URL: 'https://api.authlete.com' };
    const key = fileWith('key with spaces');
    const secret = fileWith('secret\n\n');
    const redis = fileWith('http://redis:6379');
    const found = problems({ ...v2, AUTHLETE_SERVICE_API_KEY_FILE: key, AUTHLETE_SERVICE_API_SECRET_FILE: secret, RATE_LIMIT_REDIS_URL_FILE: redis });
    expect(found).toEqual([
      `AUTHLETE_SERVICE_API_KEY_FILE names a file whose contents must be one line of visible ASCII characters without spaces or colons, one trailing newline aside: ${key}`,
      `AUTHLETE_SERVICE_API_SECRET_FILE names a file whose contents must be one line of visible ASCII characters without spaces, one trailing newline aside: ${secret}`,
      `RATE_LIMIT_REDIS_URL_FILE names a file whose contents must be a redis:// or rediss:// URL, such as redis://redis:6379, one trailing newline aside: ${redis}`,
    ]);
  });

  it('still names the variable itself for a value given directly', () => {
    expect(problems({ ...account, AUTHLETE_SERVICE_ACCESS_TOKEN: 'two words' })).toEqual([
      'AUTHLETE_SERVICE_ACCESS_TOKEN must be one line of visible ASCII characters without spaces',
    ]);
  });

  it('refuses the value and the file together, naming both and quoting neither', () => {
    const path = fileWith(token);
    const found = problems({ ...account, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: path });
    expect(found).toEqual([expect.stringMatching(/^AUTHLETE_SERVICE_ACCESS_TOKEN and AUTHLETE_SERVICE_ACCESS_TOKEN_FILE are both set/)]);
    expect(found.join('\n')).not.toContain(token);
  });

  it.each([
    ['a missing file', () => join(dir, 'nowhere', 'token'), /does not exist/],
    ['a directory', () => dir, /is a directory/],
    ['an empty file', () => fileWith(''), /an empty file/],
    ['a file holding only a newline', () => fileWith('\n'), /an empty file/],
    ['a file larger than any token', () => fileWith('x'.repeat(64 * 1024 + 1)), /a file larger than 65536 bytes/],
    ['an endless device', () => '/dev/zero', /a file larger than 65536 bytes/],
  ])('refuses %s, naming the variable and the path', (_, path, why) => {
    const where = path();
    const found = problems({ ...accountWithoutToken, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: where });
    expect(found).toEqual([expect.stringMatching(why)]);
    expect(found[0]).toMatch(/^AUTHLETE_SERVICE_ACCESS_TOKEN_FILE /);
    expect(found[0]).toContain(where);
  });

  (process.getuid?.() === 0 ? it.skip : it)('refuses an unreadable file', () => {
    const path = fileWith(token);
    chmodSync(path, 0o000);
    expect(problems({ ...accountWithoutToken, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: path })).toEqual([expect.stringMatching(/is not readable: /)]);
  });

  it('keeps the problem on one line whatever the path holds', () => {
    expect(problems({ ...accountWithoutToken, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: '/run/secrets/token\nforged line' })).toEqual([
      'AUTHLETE_SERVICE_ACCESS_TOKEN_FILE names a file that does not exist: /run/secrets/token?forged line',
    ]);
  });

  it('reads a file only for a secret', () => {
    const { AUTHLETE_BASE_URL: _, ...withoutUrl } = account;
    expect(problems({ ...withoutUrl, AUTHLETE_BASE_URL_FILE: fileWith('https://us.authlete.com') })).toEqual([
      expect.stringMatching(/^AUTHLETE_BASE_URL is required/),
    ]);
  });

  it('counts as given for the account as a whole', () => {
    expect(problems({ AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: join(dir, 'missing') }).map((p) => p.split(' ')[0]).sort()).toEqual(
      ['AUTHLETE_BASE_URL', 'AUTHLETE_SERVICE_ACCESS_TOKEN_FILE', 'AUTHLETE_SERVICE_ID'].sort(),
    );
  });
});

describe('loadConfig with AUTHLETE_API_VERSION', () => {
  const v2 = {
    AUTHLETE_API_VERSION: 'v2',
    AUTHLETE_BASE_URL: 'https://api.authlete.com/',
    AUTHLETE_SERVICE_API_KEY: '10723797812772',
    AUTHLETE_SERVICE_API_SECRET: 'api-secret-do-not-print',
  };
  const v2Account = (config: GatewayConfig) => (config.authority.kind === 'authlete' && config.authority.account.apiVersion === 'v2' ? config.authority.account : undefined);

  it('reads a v2 account: the API key and secret, no service ID', () => {
    const account = v2Account(loaded(v2));
    expect(account).toMatchObject({ apiVersion: 'v2', baseUrl: 'https://api.authlete.com', serviceApiKey: '10723797812772' });
    expect(account?.serviceApiSecret.reveal()).toBe('api-secret-do-not-print');
  });

  it('reads the v2 key and secret from files (<NAME>_FILE)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcr-config-v2-'));
    try {
      writeFileSync(join(dir, 'key'), '10723797812772\n');
      writeFileSync(join(dir, 'secret'), 'api-secret-from-file\n');
      const { AUTHLETE_SERVICE_API_KEY: _key, AUTHLETE_SERVICE_API_SECRET: _secret, ...rest } = v2;
      const account = v2Account(loaded({ ...rest, AUTHLETE_SERVICE_API_KEY_FILE: join(dir, 'key'), AUTHLETE_SERVICE_API_SECRET_FILE: join(dir, 'secret') }));
      expect(account?.serviceApiKey).toBe('10723797812772');
      expect(account?.serviceApiSecret.reveal()).toBe('api-secret-from-file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the embedded mock in the chosen version when no account is given', () => {
    expect(loaded({ AUTHLETE_API_VERSION: 'v2' }).authority).toMatchObject({ kind: 'embedded_mock', mock: { apiVersion: 'v2' } });
  });

  it('wants the whole v2 account once any part of it is given', () => {
    expect(problems({ AUTHLETE_API_VERSION: 'v2', AUTHLETE_SERVICE_API_KEY: 'k' }).map((p) => p.split(' ')[0])).toEqual([
      'AUTHLETE_BASE_URL',
      'AUTHLETE_SERVICE_API_SECRET',
    ]);
  });

  it('refuses v3 settings with v2, one line for each, saying what to do', () => {
    const found = problems({ ...v2, AUTHLETE_SERVICE_ID: '715948317', AUTHLETE_SERVICE_ACCESS_TOKEN: 'svc-token-do-not-print' });
    expect(found).toEqual([
      expect.stringMatching(/^AUTHLETE_SERVICE_ID is an Authlete API v3 setting, but AUTHLETE_API_VERSION is v2.*: remove it$/),
      expect.stringMatching(/^AUTHLETE_SERVICE_ACCESS_TOKEN is an Authlete API v3 setting, but AUTHLETE_API_VERSION is v2/),
    ]);
    expect(found.join('\n')).not.toContain('do-not-print');
  });

  it('refuses v2 settings with v3 (the default), and points at AUTHLETE_API_VERSION=v2', () => {
    const { AUTHLETE_API_VERSION: _v2, ...v2Settings } = v2;
    const found = problems(v2Settings);
    expect(found).toEqual([
      expect.stringMatching(/^AUTHLETE_SERVICE_API_KEY is an Authlete API v2 setting, .*set AUTHLETE_API_VERSION=v2/),
      expect.stringMatching(/^AUTHLETE_SERVICE_API_SECRET is an Authlete API v2 setting/),
      expect.stringMatching(/^AUTHLETE_SERVICE_ID is required for Authlete API v3/),
      expect.stringMatching(/^AUTHLETE_SERVICE_ACCESS_TOKEN is required for Authlete API v3/),
    ]);
    expect(found.join('\n')).not.toContain('do-not-print');
  });

  it('counts a setting given as a file as given, for the mix as for the account', () => {
    expect(problems({ ...v2, AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: '/run/secrets/token' })).toContainEqual(expect.stringMatching(/^AUTHLETE_SERVICE_ACCESS_TOKEN is an Authlete API v3 setting/));
  });

  it('refuses a mix even without a whole account, outside production', () => {
    expect(problems({ AUTHLETE_API_VERSION: 'v2', AUTHLETE_SERVICE_ID: '1' })[0]).toMatch(/^AUTHLETE_SERVICE_ID is an Authlete API v3 setting/);
  });

  it('accepts only v3 or v2', () => {
    expect(problems({ AUTHLETE_API_VERSION: '3' })).toEqual([expect.stringMatching(/^AUTHLETE_API_VERSION must be one of v3, v2/)]);
  });

  it('refuses an API key with a colon, which HTTP Basic cannot carry', () => {
    expect(problems({ ...v2, AUTHLETE_SERVICE_API_KEY: 'a:b' })).toEqual([expect.stringMatching(/^AUTHLETE_SERVICE_API_KEY must be one line of visible ASCII characters without spaces or colons/)]);
  });
});

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
    // Before, /health was accepted there, and the probes answered for the client IDs `live` and `ready`.
    expect(problems({ ...account, PORT: '8080', ADMIN_PORT: '8080', REGISTRATION_PATH: '/health' })).toEqual([
      "REGISTRATION_PATH must not be or hold a probe's path (/health/live, /health/ready) when ADMIN_PORT equals PORT: one listener serves both",
    ]);
    expect(problems({ ...account, PORT: '8080', ADMIN_PORT: '8080', REGISTRATION_PATH: '/metrics' })).toHaveLength(1);
    expect(loaded({ ...account, PORT: '8080', ADMIN_PORT: '8080', REGISTRATION_PATH: '/health-register' }).http.registrationPath).toBe('/health-register');
    expect(loaded({ ...account, REGISTRATION_PATH: '/health' }).http.registrationPath).toBe('/health');
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
