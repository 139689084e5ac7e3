import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startGatewayBehindContract } from '../support/gateway-contract';
import { jsonLines, launchGatewayProcess, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { rawExchange, send, type ReceivedResponse } from '../support/http-client';
import { listenOnLoopback } from '../support/loopback.mts';
import { ROOT } from '../support/paths.mts';
import type { RunningProcess } from '../support/running-process.mts';
import { startScriptedAuthlete, updatedAnswer, type ScriptedAuthlete } from '../support/scripted-authlete.mts';

// Far beyond the test: a call in flight ends because the test releases it or the gateway cuts it off, never by
// the gateway's timeout.
const AUTHLETE_TIMEOUT_MS = 60_000;
// The grace period under test, and a bound for "promptly" that holds on a loaded 2-core machine.
const GRACE_MS = 100;
const PROMPTLY_MS = 8_000;

function canConnect(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Resolves once a new connection is refused. The gateway logs "shutting down" a moment before it closes its
 * listener, so the first attempts may still get in; each attempt is the wait, no timer.
 */
async function refusesConnections(url: string): Promise<void> {
  while (await canConnect(url));
}

const update = (url: string, n: number): Promise<ReceivedResponse> =>
  send(`${url}/register/42`, {
    method: 'PUT',
    headers: [
      ['Authorization', 'Bearer rat-42'],
      ['Content-Type', 'application/json'],
      ['X-Request-Id', `in-flight-${n}`],
    ],
    body: '{"client_id":"42"}',
  });

/**
 * A registration whose body is being read: sent once the gateway asked for it (100 Continue: the request has passed
 * its checks), and only half of it, the rest never. Only the gateway can end this request.
 */
async function halfABody(url: string, requestId: string): Promise<Socket> {
  const exchange = rawExchange(
    url,
    `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nX-Request-Id: ${requestId}\r\nContent-Length: 100\r\n\r\n`,
  );
  await exchange.received(/100 Continue/);
  exchange.socket.write('{"redirect');
  return exchange.socket;
}

describe('SIGTERM while requests are in flight', () => {
  let authlete: ScriptedAuthlete;

  beforeAll(async () => {
    // Authlete holds every answer until the test lets it go, so "in flight" lasts exactly as long as needed.
    authlete = await startScriptedAuthlete({ kind: 'hold' });
  });
  afterAll(() => authlete.close());

  const env = (extra: Record<string, string> = {}) => ({
    AUTHLETE_BASE_URL: authlete.url,
    AUTHLETE_SERVICE_ID: '715948317',
    AUTHLETE_SERVICE_ACCESS_TOKEN: 'shutdown-service-token',
    AUTHLETE_TIMEOUT_MS: String(AUTHLETE_TIMEOUT_MS),
    ...extra,
  });

  // A whole client information response (RFC 7592 section 3), as the contract in front of the gateway requires.
  const client = { client_id: '42', client_name: 'ok', registration_access_token: 'rat-42', registration_client_uri: 'https://as.example.com/register/42' };

  it('finishes every request in flight, refuses new connections, and exits 0', async () => {
    // The answers go through the contract proxy; the listener itself is probed directly, which a proxy would hide.
    const gateway = await startGatewayBehindContract(env());
    try {
      const before = authlete.count();
      const inFlight = Array.from({ length: 8 }, (_, n) => update(gateway.url, n));
      await authlete.waitForCalls(before + 8);

      // SIGTERM to the service alone: the proxy stays up to carry the answers back.
      gateway.child.kill('SIGTERM');
      await gateway.waitForOutput(/shutting down/);
      // Held by Authlete, the eight are still in flight: connections are refused while they are.
      await refusesConnections(gateway.directUrl);
      // The admin listener outlives the public one: the platform reads "draining" while the requests finish.
      const readinessWhileDraining = await send(`${gateway.adminUrl}/health/ready`, { method: 'GET' });
      authlete.release(updatedAnswer(JSON.stringify(client)));
      const answers = await Promise.all(inFlight);

      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
      expect(gateway.violations()).toEqual([]);
      expect(readinessWhileDraining.status).toBe(503);
      expect(await gateway.exited).toBe(0);
      expect(await canConnect(gateway.adminUrl)).toBe(false);
      expect(gateway.output()).toContain('"result":"drained"');
    } finally {
      await gateway.stop();
    }
  });

  // Sent directly: what is checked is that the service cuts the connection, which a proxy would turn into an answer.
  it('cuts off what is still open after the grace period, and still exits 0 promptly', async () => {
    const gateway = await startGatewayProcess(env({ SHUTDOWN_GRACE_MS: String(GRACE_MS) }));
    const before = authlete.count();
    const inFlight = update(gateway.url, 99).then(
      (answer) => answer.status,
      () => 'cut off',
    );
    await authlete.waitForCalls(before + 1);

    // The held answer is never released: only the grace period can end this request.
    const started = performance.now();
    expect(await gateway.stop()).toBe(0);
    expect(performance.now() - started).toBeLessThan(PROMPTLY_MS);
    expect(await inFlight).toBe('cut off');
    expect(gateway.output()).toContain('"result":"cut_short"');
    // Its line says the gateway cut it; before, it read as Authlete failing (502, connection_lost).
    const line = gateway
      .output()
      .split('\n')
      .find((text) => text.includes('"operation":"update"'));
    expect(line).toContain('"cutOff":true');
    expect(line).toContain('"outcome":"client_closed"');
    expect(line).toContain('cut off at shutdown');
    expect(line).not.toContain('connection_lost');
  });

  it('logs a request still receiving its body when the grace period cuts it off', async () => {
    const gateway = await startGatewayProcess(env({ SHUTDOWN_GRACE_MS: String(GRACE_MS), BODY_TIMEOUT_MS: '30000' }));
    const requestId = 'body-cut-off';
    const socket = await halfABody(gateway.url, requestId);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

    expect(await gateway.stop()).toBe(0);
    await closed;
    const lines = jsonLines(gateway.stdout());
    // Before, the stop ended without it: the read failed a few turns after the connection was cut, after "stopped".
    const line = lines.find((record) => record['requestId'] === requestId);
    expect(line).toMatchObject({ level: 'warn', operation: 'register', outcome: 'client_closed', cutOff: true });
    expect(lines.indexOf(line ?? {})).toBeLessThan(lines.findIndex((record) => record['msg'] === 'stopped'));
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('ends at once on a second %s, saying so in the log with the requests still in flight', async (signal) => {
    const gateway = await startGatewayProcess(env());
    const before = authlete.count();
    const inFlight = update(gateway.url, 11).then(
      (answer) => answer.status,
      () => 'cut off',
    );
    await authlete.waitForCalls(before + 1);

    gateway.child.kill(signal);
    await gateway.waitForOutput(/shutting down/);
    gateway.child.kill(signal);

    expect(await gateway.exited).toBe(1);
    expect(await inFlight).toBe('cut off');
    const last = jsonLines(gateway.stdout()).at(-1);
    expect(last).toMatchObject({ level: 'warn', signal, requestsInFlight: 1, heldForAuthlete: 1 });
    expect(last?.['msg']).toMatch(new RegExp(`^a second ${signal} ended the process before its requests finished`));
  });

  it('on a second signal, counts a request still receiving its body as in flight, though it holds no place for Authlete', async () => {
    const gateway = await startGatewayProcess(env({ BODY_TIMEOUT_MS: '30000' }));
    const socket = await halfABody(gateway.url, 'body-at-second-signal');

    gateway.child.kill('SIGTERM');
    await gateway.waitForOutput(/shutting down/);
    gateway.child.kill('SIGTERM');

    expect(await gateway.exited).toBe(1);
    socket.destroy();
    // Before, it said 0 still in flight: it counted only the places held for Authlete.
    expect(jsonLines(gateway.stdout()).at(-1)).toMatchObject({ level: 'warn', requestsInFlight: 1, heldForAuthlete: 0 });
  });

  it('keeps accepting and answering, each answer closing its connection, for SHUTDOWN_DELAY_MS, readiness 503 at once', async () => {
    authlete.behave({ kind: 'answer', ...updatedAnswer() });
    try {
      const gateway = await startGatewayProcess(env({ SHUTDOWN_DELAY_MS: '1500' }));
      const exited = gateway.stop();
      await gateway.waitForOutput(/shutting down/);

      const readiness = await send(`${gateway.adminUrl}/health/ready`, { method: 'GET' });
      const during = await update(gateway.url, 7);
      expect(readiness.status).toBe(503);
      expect(readiness.headers['connection']).toBe('close');
      expect(during.status).toBe(200);
      expect(during.headers['connection']).toBe('close');

      await refusesConnections(gateway.url);
      expect(await exited).toBe(0);
      expect(gateway.output()).toContain('"result":"drained"');
    } finally {
      authlete.behave({ kind: 'hold' });
    }
  });
});

describe('a further signal while the exit waits for its last lines to reach a reader that is stuck', () => {
  // How long the exit waits for stdout and stderr to take their last lines (OUTPUT_DRAIN_MS).
  const OUTPUT_DRAIN_MS = 1_000;
  let authlete: ScriptedAuthlete;
  let dir: string;
  beforeAll(async () => {
    authlete = await startScriptedAuthlete({ kind: 'hold' });
  });
  afterAll(() => authlete.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dcr-drain-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Whether a byte still fits into the FIFO: a write that does not block, through an end of the test's own. */
  function roomIn(fifo: string): boolean {
    const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      writeSync(fd, '.');
      return true;
    } catch (error) {
      // Not `instanceof Error`: Node's own errors come from outside the test's realm.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return false;
      throw error;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The gateway with its audit trail on a pipe nobody reads and its log on stdout, read as usual: what it logs can
   * be seen, and the exit waits the whole drain for the audit lines. `run` gets it with `fill`, which makes the pipe
   * full and leaves audit lines waiting in the gateway.
   */
  async function withStuckAuditTrail(run: (gateway: GatewayProcess, fill: () => Promise<void>) => Promise<void>): Promise<void> {
    const fifo = join(dir, 'stderr');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY);
    const env = { AUTHLETE_BASE_URL: authlete.url, AUTHLETE_SERVICE_ID: '715948317', AUTHLETE_SERVICE_ACCESS_TOKEN: 'drain-token', AUTHLETE_TIMEOUT_MS: String(AUTHLETE_TIMEOUT_MS), AUDIT_LOG: 'stderr' };
    const gateway = await startGatewayProcess(env, { stderrTo: writer }).finally(() => closeSync(writer));
    // A read without a token is refused there and then, and audited; soon the limit on failed authentications
    // refuses them instead, audited too.
    const refusedRead = () => send(`${gateway.url}/register/4242`, { method: 'GET' });
    const fill = async (): Promise<void> => {
      for (let sent = 0; roomIn(fifo); sent++) {
        if (sent === 10_000) throw new Error('the audit trail never filled its pipe');
        await refusedRead();
      }
      for (let i = 0; i < 10; i++) await refusedRead();
    };
    try {
      await run(gateway, fill);
    } finally {
      await gateway.stop(0);
      closeSync(reader);
    }
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('a second %s once stopped in order: exits 0 at once, without saying requests were cut off', (signal) =>
    withStuckAuditTrail(async (gateway, fill) => {
      await fill();
      gateway.child.kill(signal);
      await gateway.waitForOutput(/"msg":"stopped"/);
      const stopped = performance.now();
      gateway.child.kill(signal);

      // Before, it exited 1, and logged at warn that 0 requests were "still in flight", as if some had been cut off
      // (a line that came too late here: stdout had already been closed).
      expect(await gateway.exited).toBe(0);
      // Sooner than the drain would have ended by itself: it was the second signal that ended it.
      expect(performance.now() - stopped).toBeLessThan(OUTPUT_DRAIN_MS);
      expect(gateway.output()).not.toContain('still in flight');
    }),
  );

  it('a third SIGTERM, after a second cut off a request: exits 1 at once', () =>
    withStuckAuditTrail(async (gateway, fill) => {
      // In flight before the refusals: once they are limited, this address's update would be refused too.
      const before = authlete.count();
      const inFlight = update(gateway.url, 3).then(
        (answer) => answer.status,
        () => 'cut off',
      );
      await authlete.waitForCalls(before + 1);
      await fill();

      gateway.child.kill('SIGTERM');
      await gateway.waitForOutput(/shutting down/);
      gateway.child.kill('SIGTERM');
      await gateway.waitForOutput(/"requestsInFlight":1,.*still in flight/);
      const second = performance.now();
      gateway.child.kill('SIGTERM');

      expect(await gateway.exited).toBe(1);
      expect(performance.now() - second).toBeLessThan(OUTPUT_DRAIN_MS);
      expect(await inFlight).toBe('cut off');
    }),
  );
});

describe('a stop signal during start-up', () => {
  let authlete: ScriptedAuthlete;

  beforeAll(async () => {
    // A slow Authlete: the start-up check's call is held, so the gateway is still starting when the signal comes.
    authlete = await startScriptedAuthlete({ kind: 'hold' });
  });
  afterAll(() => authlete.close());

  it.each(['SIGTERM', 'SIGINT'] as const)('%s: exits 0 promptly without listening, saying it was stopped during start-up', async (signal) => {
    // The public port is held by the test: a gateway that tried to listen on it would exit 1 with "cannot listen".
    const holder = await listenOnLoopback(createServer());
    try {
      const gateway = launchGatewayProcess({
        AUTHLETE_BASE_URL: authlete.url,
        AUTHLETE_SERVICE_ID: '715948317',
        AUTHLETE_SERVICE_ACCESS_TOKEN: 'startup-signal-token',
        AUTHLETE_STARTUP_CHECK: 'warn',
        // Without the fix the check would give up after this, then the gateway would listen and serve for the delay.
        AUTHLETE_TIMEOUT_MS: '3000',
        SHUTDOWN_DELAY_MS: '10000',
        PORT: String(holder.port),
      });
      const before = authlete.count();
      await authlete.waitForCalls(before + 1);

      const signalled = performance.now();
      gateway.child.kill(signal);
      expect(await gateway.exited).toBe(0);
      expect(performance.now() - signalled).toBeLessThan(PROMPTLY_MS);

      const output = gateway.output();
      expect(output).not.toContain('dcr-gateway listening');
      expect(output).not.toContain('cannot listen');
      // The abandoned check is not reported as a failed one.
      expect(output).not.toContain('"check":');
      const stopped = jsonLines(gateway.stdout()).filter((line) => String(line['msg']).includes('during start-up'));
      expect(stopped).toEqual([expect.objectContaining({ level: 'info', signal, msg: `stopped by ${signal} during start-up, before listening` })]);
    } finally {
      await holder.close();
    }
  });
});

describe('a stop signal while the gateway is still loading its modules', () => {
  const HOLD = resolve(ROOT, 'test', 'support', 'hold-gateway-load.cjs');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dcr-hold-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Lets the held load go on; does nothing when the process is already gone (no reader: ENXIO, never a hang). */
  function release(fifo: string): void {
    try {
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      writeSync(fd, 'go');
      closeSync(fd);
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'ENXIO')) throw error;
    }
  }

  /** The built gateway, held just before it loads `at` (a file of dist/src) until `release`. */
  async function launchHeld(at: string): Promise<{ gateway: RunningProcess; fifo: string }> {
    const fifo = join(dir, 'go');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const gateway = launchGatewayProcess({ NODE_OPTIONS: `--require ${HOLD}`, HOLD_GATEWAY_LOAD_FIFO: fifo, HOLD_GATEWAY_LOAD_AT: at });
    await gateway.waitForOutput(/holding the gateway before its modules load/);
    return { gateway, fifo };
  }

  // run-gateway.js: the gateway's own modules. node-version.js: the first module main loads, for the Node.js version
  // check (semver, zod: some 0.1 s), which main once loaded before it heard any signal.
  describe.each(['run-gateway.js', 'node-version.js'])('held before loading %s', (at) => {
    it.each(['SIGTERM', 'SIGINT'] as const)('%s: is answered once the gateway has loaded: exit 0 without listening, saying it was stopped during start-up', async (signal) => {
      // Before, the first ~0.4 s of the process heard no signal: the default action killed it, with no line.
      const { gateway, fifo } = await launchHeld(at);

      gateway.child.kill(signal);
      release(fifo);

      expect(await gateway.exited).toBe(0);
      expect(gateway.output()).not.toContain('dcr-gateway listening');
      const stopped = jsonLines(gateway.stdout()).filter((line) => String(line['msg']).includes('during start-up'));
      expect(stopped).toEqual([expect.objectContaining({ level: 'info', signal, msg: `stopped by ${signal} during start-up, before listening` })]);
    });

    it('SIGHUP does not end the process: it goes on to listen', async () => {
      const { gateway, fifo } = await launchHeld(at);

      gateway.child.kill('SIGHUP');
      release(fifo);

      await gateway.waitForOutput(/dcr-gateway listening/);
      expect(await gateway.stop()).toBe(0);
    });
  });

  it('a second signal while loading ends the process with exit 1 and says so', async () => {
    const { gateway, fifo } = await launchHeld('run-gateway.js');

    gateway.child.kill('SIGTERM');
    gateway.child.kill('SIGINT');
    release(fifo);

    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).not.toContain('dcr-gateway listening');
    expect(gateway.stderr()).toContain('ended the process during start-up');
  });
});
