import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStatefulMock, type RunningStatefulMock } from '../../mock/stateful/stateful-mock';
import { startGatewayProcess } from '../support/gateway-process.mts';
import { send } from '../support/http-client';
import { listenOnLoopback } from '../support/loopback.mts';
import { readServicePackage } from '../../src/service-package';
import { BUILT_MAIN } from '../support/paths.mts';

// An Authlete 2.x account; each test gives it a secret of its own to look for.
const V2_ACCOUNT = { AUTHLETE_API_VERSION: 'v2', AUTHLETE_BASE_URL: 'https://api.authlete.com', AUTHLETE_SERVICE_API_KEY: '10723797812772' };

function runBuilt(env: Record<string, string>, node = process.execPath, wrapper: readonly string[] = []) {
  const [command = node, ...args] = [...wrapper, node, BUILT_MAIN];
  return spawnSync(command, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
}

// Root may write any file; run as root, the gateway is started without the capabilities that let it, as it would
// run in a container as a user of its own.
const AS_UNPRIVILEGED: readonly string[] = process.getuid?.() === 0 ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--'] : [];

describe('the built gateway refusing a bad configuration', () => {
  it('exits 1 with one line per problem and starts nothing', () => {
    const run = runBuilt({ AUTHLETE_BASE_URL: 'not a url', AUTHLETE_TIMEOUT_MS: '-5', AUTHLETE_SERVICE_ACCESS_TOKEN: 'cfg-secret' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n').sort();
    expect(lines).toEqual([
      expect.stringMatching(/^dcr-gateway: configuration: AUTHLETE_BASE_URL /),
      expect.stringMatching(/^dcr-gateway: configuration: AUTHLETE_SERVICE_ID /),
      expect.stringMatching(/^dcr-gateway: configuration: AUTHLETE_TIMEOUT_MS /),
    ]);
    expect(run.stderr).not.toContain('cfg-secret');
    expect(run.stdout).toBe('');
  });

  it('refuses a mix of Authlete API v2 and v3 settings, one line for each, quoting no value', () => {
    const run = runBuilt({ ...V2_ACCOUNT, AUTHLETE_SERVICE_API_SECRET: 'cfg-secret', AUTHLETE_SERVICE_ACCESS_TOKEN: 'cfg-secret-v3' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^dcr-gateway: configuration: AUTHLETE_SERVICE_ACCESS_TOKEN is an Authlete API v3 setting, but AUTHLETE_API_VERSION is v2/),
    ]);
    expect(run.stderr).not.toContain('cfg-secret');
    expect(run.stdout).toBe('');
  });

  it('refuses a HOST it could not listen on with one configuration line, not a getaddrinfo error quoting it', () => {
    const run = runBuilt({ HOST: 'cfg-secret.example.com:8080', PORT: '0' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^dcr-gateway: configuration: HOST must be an IP address or a DNS host name/)]);
    expect(run.stderr).not.toContain('cfg-secret');
    expect(run.stdout).toBe('');
  });

  it('says which setting to change when it cannot listen, without quoting the address', async () => {
    // 192.0.2.1 (TEST-NET-1) is a well-formed address that is no machine's own.
    const foreign = runBuilt({ HOST: '192.0.2.1', PORT: '0' });
    expect(foreign.status).toBe(1);
    expect(foreign.stderr.trim().split('\n')).toEqual(['dcr-gateway: cannot listen: HOST is not an address of this machine (EADDRNOTAVAIL)']);

    const taken = await listenOnLoopback(createServer());
    try {
      const busy = runBuilt({ HOST: '127.0.0.1', PORT: String(taken.port) });
      expect(busy.status).toBe(1);
      expect(busy.stderr.trim().split('\n')).toEqual(['dcr-gateway: cannot listen: PORT is already taken on that address (EADDRINUSE)']);
      const adminBusy = runBuilt({ HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: String(taken.port) });
      expect(adminBusy.status).toBe(1);
      expect(adminBusy.stderr.trim().split('\n')).toEqual(['dcr-gateway: cannot listen: ADMIN_PORT is already taken on that address (EADDRINUSE)']);
    } finally {
      await taken.close();
    }
  });

  it('refuses a secret file it cannot read, naming the variable and the path', () => {
    const missing = join(tmpdir(), 'dcr-gateway-no-such-dir', 'token');
    const run = runBuilt({
      AUTHLETE_BASE_URL: 'https://us.authlete.com',
      AUTHLETE_SERVICE_ID: '1',
      AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: missing,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([`dcr-gateway: configuration: AUTHLETE_SERVICE_ACCESS_TOKEN_FILE names a file that does not exist: ${missing}`]);
  });

  it('exits 1 at once when start-up fails after parts of it already run (an AUDIT_LOG file it cannot open)', () => {
    const missing = join(tmpdir(), 'dcr-gateway-no-such-dir', 'audit.log');
    const run = runBuilt({ PORT: '0', AUDIT_LOG: missing });
    // Before, the embedded mock already listening kept the process alive, deaf to SIGTERM, until the spawn timeout.
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `dcr-gateway: failed to start: AUDIT_LOG: cannot open ${missing} for appending (its directory does not exist); give a file in an existing, writable directory, or stdout, stderr or off`,
    ]);
  });

  it('refuses to start on an AUDIT_LOG file it may not write, saying permission denied', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcr-gateway-audit-'));
    const path = join(dir, 'audit.jsonl');
    writeFileSync(path, '');
    chmodSync(path, 0o444);
    try {
      const run = runBuilt({ PORT: '0', AUDIT_LOG: path }, process.execPath, AS_UNPRIVILEGED);
      expect(run.error).toBeUndefined();
      expect(run.stderr.trim().split('\n')).toEqual([
        `dcr-gateway: failed to start: AUDIT_LOG: cannot open ${path} for appending (permission denied); give a file in an existing, writable directory, or stdout, stderr or off`,
      ]);
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The machine's own Node.js, when it is older than the one the gateway needs (Node 20 on the machines it is built on).
const OLD_NODE = '/usr/bin/node';
const oldNodeVersion = existsSync(OLD_NODE) ? spawnSync(OLD_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim() : '';
const haveOldNode = /^(1\d|2[0-3])\./.test(oldNodeVersion);

describe('the built gateway on a Node.js older than 24', () => {
  (haveOldNode ? it : it.skip)(`refuses to start on Node ${oldNodeVersion || '(none found)'} with one line naming the version it needs`, () => {
    const run = runBuilt({ PORT: '0', HOST: '127.0.0.1' }, OLD_NODE);
    const { engines } = readServicePackage();
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`dcr-gateway: needs Node.js ${engines.node}`)]);
    expect(run.stderr).toContain(`this is Node.js ${oldNodeVersion}`);
  });
});

describe('the built gateway reading its service access token from a file', () => {
  const TOKEN = 'file-token-Qm7-never-log-me';
  let dir: string;
  let authlete: RunningStatefulMock;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dcr-gateway-secret-'));
    // An Authlete that accepts only this token: a registration passes only when the file's token was sent.
    authlete = await startStatefulMock({ host: '127.0.0.1', port: 0, managementBaseUrl: 'http://127.0.0.1/register', serviceId: '42', serviceAccessToken: TOKEN });
  });
  afterAll(async () => {
    await authlete.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the token the file holds, less its trailing newline, and logs neither it nor a secret elsewhere', async () => {
    const path = join(dir, 'token');
    writeFileSync(path, `${TOKEN}\n`, { mode: 0o600 });
    const gateway = await startGatewayProcess({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_SERVICE_ID: '42', AUTHLETE_SERVICE_ACCESS_TOKEN_FILE: path });
    try {
      const registered = await send(`${gateway.url}/register`, {
        method: 'POST',
        headers: [['Content-Type', 'application/json']],
        body: JSON.stringify({ redirect_uris: ['https://client.example.org/cb'] }),
      });
      expect(registered.status).toBe(201);
    } finally {
      await gateway.stop();
    }
    expect(gateway.output()).not.toContain(TOKEN);
  });
});

/** A gateway started with `env` and stopped again: its start-up line, and all it wrote. */
async function startedOnce(env: Record<string, string>): Promise<{ readonly url: string; readonly line: unknown; readonly output: string }> {
  const gateway = await startGatewayProcess(env);
  await gateway.stop();
  const line = gateway.output().split('\n').find((text) => text.includes('"msg":"dcr-gateway listening'));
  return { url: gateway.url, line: JSON.parse(line ?? '{}'), output: gateway.output() };
}

describe('variables named like settings that are none', () => {
  it('are named, not quoted, in one warning once the gateway listens; a Kubernetes service link is no such mistake', async () => {
    const gateway = await startedOnce({
      LIMIT_REGISTRATION_PER_IP: '1/1m',
      CORS_ALLOWED_ORIGIN: 'https://spa.example.com',
      AUTHLETE_SERVICE_HOST: '10.0.0.7',
      AUTHLETE_PORT: 'tcp://10.0.0.7:443',
    });

    const warnings = gateway.output.split('\n').filter((text) => text.includes('"ignored"')).map((text): unknown => JSON.parse(text));
    expect(warnings).toEqual([expect.objectContaining({ level: 'warn', ignored: ['CORS_ALLOWED_ORIGIN', 'LIMIT_REGISTRATION_PER_IP'] })]);
    expect(gateway.output).not.toContain('spa.example.com');
    // The misspelt limit is not in force: the default is.
    expect(gateway.line).toMatchObject({ limits: { registrationsPerIp: '20/3600s' } });
  });
});

describe('the start-up line', () => {
  it('says what an operator checks first, and no secret', async () => {
    const gateway = await startedOnce({
      AUTHLETE_BASE_URL: 'https://us.authlete.com/',
      AUTHLETE_SERVICE_ID: '715948317',
      AUTHLETE_SERVICE_ACCESS_TOKEN: 'startup-token-never-log-me',
      AUTHLETE_TIMEOUT_MS: '2500',
      AUTHLETE_MAX_CONNECTIONS: '32',
    });
    const { version } = readServicePackage();
    expect(gateway.line).toMatchObject({
      level: 'info',
      version,
      node: process.versions.node,
      url: gateway.url,
      registrationUrl: `${gateway.url}/register`,
      authlete: { baseUrl: 'https://us.authlete.com', serviceId: '715948317', timeoutMs: 2500, maxConnections: 32 },
      keepAliveTimeoutMs: 65_000,
      maxConnections: 640,
      maxConnectionsPerIp: 'off',
      logLevel: 'info',
    });
    expect(gateway.output).not.toContain('startup-token-never-log-me');
  });

  it('names the API version, and for v2 the API key, never the API secret', async () => {
    const gateway = await startedOnce({ ...V2_ACCOUNT, AUTHLETE_SERVICE_API_SECRET: 'startup-api-secret-never-log-me' });
    expect(gateway.line).toMatchObject({ authlete: { apiVersion: 'v2', baseUrl: 'https://api.authlete.com', serviceApiKey: '10723797812772' } });
    expect(gateway.output).not.toContain('startup-api-secret-never-log-me');
  });
});

/** One request on a raw keep-alive connection: the response head, and a promise that settles when the server closes it. */
function keptAlive(url: string): Promise<{ head: string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    let seen = '';
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end >= 0) resolve({ head: seen.slice(0, end), closed });
    });
    // Any answer of the public listener will do: the probes are on the admin one.
    socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
  });
}

describe('the keep-alive timeout', () => {
  it('defaults to 65 s, above the 60 s idle timeout of common load balancers, and says so to the client', async () => {
    const gateway = await startGatewayProcess({});
    try {
      const { head } = await keptAlive(gateway.url);
      expect(head).toMatch(/^HTTP\/1\.1 404/);
      expect(head).toMatch(/\r\nKeep-Alive: timeout=65(\r\n|$)/i);
    } finally {
      await gateway.stop();
    }
  });

  it('closes an idle connection once KEEP_ALIVE_TIMEOUT_MS has passed', async () => {
    const gateway = await startGatewayProcess({ KEEP_ALIVE_TIMEOUT_MS: '1000' });
    try {
      const { head, closed } = await keptAlive(gateway.url);
      expect(head).toMatch(/\r\nKeep-Alive: timeout=1(\r\n|$)/i);
      // The server, not the test, ends the idle connection: the promise settles only when it does.
      await closed;
    } finally {
      await gateway.stop();
    }
  });
});
