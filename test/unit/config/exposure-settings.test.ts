import type { GatewayConfig } from '../../../src/config/gateway-config';
import { loadConfig } from '../../../src/config/load-config';

function exposure(env: Record<string, string>): GatewayConfig['exposure'] {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config.exposure;
}

function problems(env: Record<string, string>): readonly string[] {
  const result = loadConfig(env);
  if (result.ok) throw new Error('the configuration was accepted');
  return result.problems;
}

describe('the settings of an endpoint facing the internet', () => {
  it('defaults to open registration, limits a small deployment can live with in memory, no CORS, no audit', () => {
    expect(exposure({})).toEqual({
      registrationAccess: { kind: 'open' },
      limits: {
        registrationsPerIp: { count: 20, windowSeconds: 3_600 },
        registrationsTotal: { count: 1_000, windowSeconds: 86_400 },
        authFailuresPerIp: { count: 30, windowSeconds: 60 },
        redis: undefined,
      },
      cors: undefined,
      audit: { kind: 'off' },
      trustProxyHops: 0,
    });
  });

  it('reads each limit as count/duration or off', () => {
    const { limits } = exposure({ LIMIT_REGISTRATIONS_PER_IP: '3/1m', LIMIT_REGISTRATIONS_TOTAL: 'off', LIMIT_AUTH_FAILURES_PER_IP: '100/30s' });
    expect(limits.registrationsPerIp).toEqual({ count: 3, windowSeconds: 60 });
    expect(limits.registrationsTotal).toBeUndefined();
    expect(limits.authFailuresPerIp).toEqual({ count: 100, windowSeconds: 30 });
  });

  it.each(['20', '20/h', '0/1m', '20/0s', '-1/1m', '20/1w', '20/31d', '20 / 1h', 'OFF', '1e3/1m'])('refuses the limit %p at start, naming the setting', (value) => {
    expect(problems({ LIMIT_REGISTRATIONS_PER_IP: value })).toEqual([expect.stringMatching(/^LIMIT_REGISTRATIONS_PER_IP must be a count per duration/)]);
  });

  it('reads the token policy and its scopes', () => {
    expect(exposure({ REGISTRATION_ACCESS: 'token' }).registrationAccess).toEqual({ kind: 'token', scopes: ['client.register'] });
    expect(exposure({ REGISTRATION_ACCESS: 'token', REGISTRATION_TOKEN_SCOPES: 'dcr  client.register' }).registrationAccess).toEqual({
      kind: 'token',
      scopes: ['dcr', 'client.register'],
    });
    expect(problems({ REGISTRATION_ACCESS: 'tokens' })).toEqual(['REGISTRATION_ACCESS must be one of open, token']);
    expect(problems({ REGISTRATION_TOKEN_SCOPES: 'bad"scope' })[0]).toMatch(/^REGISTRATION_TOKEN_SCOPES must be/);
  });

  it('reads CORS origins as a list or *, and refuses anything that is not an origin', () => {
    expect(exposure({ CORS_ALLOWED_ORIGINS: 'https://a.example, http://localhost:3000' }).cors).toEqual({
      allowedOrigins: ['https://a.example', 'http://localhost:3000'],
    });
    expect(exposure({ CORS_ALLOWED_ORIGINS: '*' }).cors).toEqual({ allowedOrigins: '*' });
    for (const bad of ['https://a.example/', 'https://a.example/path', 'a.example', 'HTTPS://A.EXAMPLE', 'ftp://a.example']) {
      expect(problems({ CORS_ALLOWED_ORIGINS: bad })[0]).toMatch(/^CORS_ALLOWED_ORIGINS must be \* or a list of origins/);
    }
  });

  it.each(['https://*.example.com', 'https://app.example.com, https://*.example.com', '*.example.com', 'https://app.*', '*, https://app.example.com', 'http://localhost:*'])(
    'refuses a wildcard within an origin (CORS_ALLOWED_ORIGINS=%s), which no Origin would ever match, in one line',
    (origins) => {
      expect(problems({ CORS_ALLOWED_ORIGINS: origins })).toEqual([
        'CORS_ALLOWED_ORIGINS must not hold a wildcard within an origin, which is not supported: list each origin (https://a.example.com,https://b.example.com), or give * alone for any origin',
      ]);
    },
  );

  it('says to leave out a default port, which the Origin a browser sends never carries', () => {
    expect(problems({ CORS_ALLOWED_ORIGINS: 'https://app.example.com:443' })).toEqual([
      'CORS_ALLOWED_ORIGINS must be * or a list of origins separated by commas, each written as scheme://host[:port] in lower case, without a path, a trailing slash or a default port (:443 for https, :80 for http)',
    ]);
  });

  it('reads the Redis URL as a secret, the audit destination and the proxy hops', () => {
    const read = exposure({ RATE_LIMIT_REDIS_URL: 'redis://:pw-do-not-print@redis:6379', AUDIT_LOG: '/var/log/dcr/audit.jsonl', TRUST_PROXY_HOPS: '2' });
    expect(read.limits.redis?.url.reveal()).toBe('redis://:pw-do-not-print@redis:6379');
    expect(JSON.stringify(read)).not.toContain('pw-do-not-print');
    expect(read.limits.redis?.timeoutMs).toBe(100);
    expect(read.audit).toEqual({ kind: 'file', path: '/var/log/dcr/audit.jsonl' });
    expect(read.trustProxyHops).toBe(2);
    expect(problems({ RATE_LIMIT_REDIS_URL: 'http://redis:6379' })[0]).toMatch(/^RATE_LIMIT_REDIS_URL must be a redis/);
    expect(problems({ TRUST_PROXY_HOPS: '11' })[0]).toMatch(/^TRUST_PROXY_HOPS must be a whole number from 0 to 10/);
  });

  it.each([
    ['redis://', 'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL, such as redis://redis:6379, with a host'],
    ['redis://:pw-do-not-print@:6379', 'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL, such as redis://redis:6379'],
    ['redis://redis:6379/abc', 'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL, such as redis://redis:6379 or redis://redis:6379/2, whose database, if given, is a whole number'],
    ['redis://redis:6379/0/1', 'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL, such as redis://redis:6379 or redis://redis:6379/2, whose database, if given, is a whole number'],
    ['redis://redis:6379/1.5', 'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL, such as redis://redis:6379 or redis://redis:6379/2, whose database, if given, is a whole number'],
    ['redis://u:pw-do-not-print%ZZ@redis:6379', 'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL, such as redis://redis:6379, with a % in its user or password written as %25'],
    ['redis://redis:6379?db=2', 'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL, such as redis://redis:6379, without a query or fragment'],
  ])('refuses RATE_LIMIT_REDIS_URL=%s at start, in a line that names it, rather than failing later with the Redis client\'s own words', (url, line) => {
    expect(problems({ RATE_LIMIT_REDIS_URL: url })).toEqual([line]);
  });

  it.each(['redis://redis:6379', 'redis://redis', 'rediss://user:p%40ss@redis.example.com:6380/15', 'redis://[::1]:6379/', 'redis://10.0.0.5:6379/0'])(
    'takes RATE_LIMIT_REDIS_URL=%s',
    (url) => {
      expect(exposure({ RATE_LIMIT_REDIS_URL: url }).limits.redis?.url.reveal()).toBe(url);
    },
  );

  it('refuses an AUDIT_LOG of blanks, which would otherwise be a file named so (pino even took it for stdin)', () => {
    expect(problems({ AUDIT_LOG: ' ' })).toEqual(['AUDIT_LOG must be stdout, stderr, off or the path of a file']);
  });

  it.each(['STDOUT', 'Stdout', 'StdErr', 'STDERR', 'OFF', 'Off', ' stdout', 'off '])(
    'refuses AUDIT_LOG=%s, which would write a file of that name in the working directory, saying to write it in lower case',
    (value) => {
      expect(problems({ AUDIT_LOG: value })).toEqual([
        'AUDIT_LOG must be stdout, stderr or off written in lower case without spaces; for a file of that name, give a path such as ./STDOUT',
      ]);
    },
  );

  it.each([
    ['stdout', { kind: 'stdout' }],
    ['stderr', { kind: 'stderr' }],
    ['off', { kind: 'off' }],
    ['./STDOUT', { kind: 'file', path: './STDOUT' }],
    ['/var/log/OFF', { kind: 'file', path: '/var/log/OFF' }],
  ])('reads AUDIT_LOG=%s', (value, audit) => {
    expect(exposure({ AUDIT_LOG: value }).audit).toEqual(audit);
  });
});
