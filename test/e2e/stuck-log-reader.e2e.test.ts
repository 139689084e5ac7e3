import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, watch } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_MAIN, ROOT } from '../support/paths.mts';
import { send } from '../support/http-client';

/** What the gateway's stdout is: a FIFO (a shell pipe, a container runtime) or a socket (a parent's `stdio: 'pipe'`, systemd's journal). */
type Stdout = 'a pipe' | 'a socket';

/**
 * The built gateway with its stdout on a pipe or a socket that the test stops reading after the start-up line, as a
 * stuck log collector or a Docker logging driver in blocking mode would: it is full after some 64 KiB (a pipe) or a
 * few hundred KiB (a socket) of log.
 */
function startWithStuckStdout(env: Record<string, string>, kind: Stdout, { stderrToo = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dcr-gateway-fifo-'));
  const fifo = join(dir, 'stdout');
  let writer: number | 'pipe' = 'pipe';
  let reader: number | undefined;
  if (kind === 'a pipe') {
    execFileSync('mkfifo', [fifo]);
    // The reading end first, without waiting for a writer; then the writing end the child gets as its stdout.
    reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    writer = openSync(fifo, constants.O_WRONLY);
  }
  const child = spawn(process.execPath, [BUILT_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', SHUTDOWN_DELAY_MS: '0', ...env },
    // Node gives a child's 'pipe' as a socket pair. `stderrToo`: stderr on the same pipe, as `2>&1` gives.
    stdio: ['ignore', writer, stderrToo ? writer : 'pipe'],
  });
  if (typeof writer === 'number') closeSync(writer);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A socket over the pipe's reading end reads as data comes (the end does not block), and stops when paused.
  const stdout = reader === undefined ? child.stdout : new Socket({ fd: reader, readable: true, writable: false });
  if (stdout === null) throw new Error('the child has no stdout');
  let seen = '';
  const listening = new Promise<{ url: string; adminUrl: string }>((resolve, reject) => {
    const onData = (chunk: string | Buffer): void => {
      seen += chunk.toString();
      const line = /^.*"msg":"dcr-gateway listening.*$/m.exec(seen)?.[0];
      if (line === undefined) return;
      // From here on nobody reads; the output stays open, so writing to it does not fail: it fills.
      stdout.off('data', onData);
      stdout.pause();
      const url = /"url":"([^"]+)"/.exec(line)?.[1];
      const adminUrl = /"adminUrl":"([^"]+)"/.exec(line)?.[1];
      if (url === undefined || adminUrl === undefined) reject(new Error(`no URL in ${line}`));
      else resolve({ url, adminUrl });
    };
    stdout.on('data', onData);
    void exited.then(() => reject(new Error(`exited before listening: ${stderr}`)));
  });
  /** Reads again, from where the reading stopped, until what was read includes `text`; `read()` is everything read. */
  const resumeUntil = (text: string): Promise<void> =>
    new Promise<void>((resolve) => {
      const onData = (chunk: string | Buffer): void => {
        seen += chunk.toString();
        if (seen.includes(text)) resolve();
      };
      stdout.on('data', onData);
      stdout.resume();
    });
  const close = (): void => {
    child.kill('SIGKILL');
    stdout.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, exited, listening, resumeUntil, read: () => seen, close };
}

describe.each<[Stdout, string]>([
  ['a pipe', 'stdout'],
  ['a socket', 'stdout'],
  // The path of the same pipe: written as a file, each audit event was a write that blocked the whole gateway.
  ['a pipe', '/dev/stdout'],
])('the built gateway with a stdout nobody reads, on %s, and AUDIT_LOG=%s', (kind, audit) => {
  it('goes on answering, its probes too, survives SIGHUP, and exits promptly on SIGTERM', async () => {
    const gateway = startWithStuckStdout({ AUDIT_LOG: audit }, kind);
    try {
      const { url, adminUrl } = await gateway.listening;
      // Each refused read is an access line and an audit line, some 600 bytes: 3,000 of them are far over a pipe's
      // 64 KiB and a socket's few hundred. Before, the first write that found a pipe full blocked the whole process,
      // SIGTERM included; on a socket, the answers went on but the exit waited for the reader for ever.
      const statuses = new Map<number, number>();
      for (let i = 0; i < 3_000; i++) {
        const { status } = await send(`${url}/register/4242`, { method: 'GET', headers: [['Authorization', 'Bearer not-a-token-of-anyone']], timeoutMs: 5_000 });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      expect([...statuses.keys()].every((status) => status === 401 || status === 429)).toBe(true);
      expect((await send(`${adminUrl}/health/live`, { method: 'GET', timeoutMs: 5_000 })).status).toBe(200);

      // SIGHUP asks for logs to be reopened; with no AUDIT_LOG file it changes nothing, and must not end the process.
      gateway.child.kill('SIGHUP');
      expect((await send(`${adminUrl}/health/live`, { method: 'GET', timeoutMs: 5_000 })).status).toBe(200);

      const stopping = performance.now();
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
      // The grace for the last lines to go out is 1 s; the stuck reader does not hold the exit beyond it.
      expect(performance.now() - stopping).toBeLessThan(5_000);
    } finally {
      gateway.close();
    }
  }, 60_000);
});

describe('the built gateway with stdout and stderr on one pipe (2>&1) and AUDIT_LOG=stderr', () => {
  it('writes whole lines only, after its reader stalled and came back', async () => {
    const gateway = startWithStuckStdout({ AUDIT_LOG: 'stderr' }, 'a pipe', { stderrToo: true });
    try {
      const { url } = await gateway.listening;
      // The access line goes to stdout and the audit line to stderr, each some 300 bytes: batches of both wait, and
      // once the reader is back they are written in parts, as the pipe takes them.
      let lastId = '';
      for (let i = 0; i < 8_000; i++) {
        const { headers } = await send(`${url}/register/4242`, { method: 'GET', headers: [['Authorization', 'Bearer not-a-token-of-anyone']], timeoutMs: 5_000 });
        lastId = String(headers['x-request-id']);
      }
      // Everything is read before the stop: what this checks is the lines' integrity, not the last second's grace.
      await gateway.resumeUntil(`"requestId":"${lastId}","method"`);
      const lines = gateway.read().split('\n').slice(0, -1);
      const whole = (line: string): boolean => {
        try {
          return typeof JSON.parse(line) === 'object';
        } catch {
          return false;
        }
      };
      // Before, each output had its own writer: a batch written in part left half a line, and the other's batch
      // went into the middle of it.
      expect(lines.filter((line) => !whole(line))).toEqual([]);
      expect(lines.filter((line) => line.includes('"log":"audit"')).length).toBeGreaterThan(7_000);
    } finally {
      gateway.close();
    }
  }, 60_000);
});

describe('the log of the built gateway at a planned stop', () => {
  it('ends with the "stopped" line, on a file and on a pipe read as usual', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcr-gateway-log-'));
    try {
      const env = { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', SHUTDOWN_DELAY_MS: '0' };
      const file = join(dir, 'stdout.log');
      const toFile = openSync(file, 'w');
      const onFile = spawn(process.execPath, [BUILT_MAIN], { cwd: ROOT, env, stdio: ['ignore', toFile, 'ignore'] });
      closeSync(toFile);
      const onPipe = spawn(process.execPath, [BUILT_MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
      let piped = '';
      onPipe.stdout.on('data', (chunk: Buffer) => (piped += chunk.toString('utf8')));
      const listening = (read: () => string) => /"msg":"dcr-gateway listening/.test(read());
      await Promise.all([
        new Promise<void>((resolve) => {
          const watcher = watch(file, () => {
            if (!listening(() => readFileSync(file, 'utf8'))) return;
            watcher.close();
            resolve();
          });
          if (listening(() => readFileSync(file, 'utf8'))) {
            watcher.close();
            resolve();
          }
        }),
        new Promise<void>((resolve) => {
          const started = (): void => {
            if (!listening(() => piped)) return;
            onPipe.stdout.off('data', started);
            resolve();
          };
          onPipe.stdout.on('data', started);
        }),
      ]);
      const exits = [onFile, onPipe].map((child) => new Promise<number | null>((resolve) => child.once('exit', resolve)));
      onFile.kill('SIGTERM');
      onPipe.kill('SIGTERM');
      expect(await Promise.all(exits)).toEqual([0, 0]);
      const lastMessage = (text: string) => (JSON.parse(text.trim().split('\n').at(-1) ?? '{}') as { msg?: string }).msg;
      // Before, the exit came as soon as the write under way was done, and the last lines stayed unwritten.
      expect(lastMessage(readFileSync(file, 'utf8'))).toBe('stopped');
      expect(lastMessage(piped)).toBe('stopped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
