import { spawn, type ChildProcess } from 'node:child_process';
import { BUILT_MAIN, ROOT } from './paths';

export interface GatewayProcess {
  readonly url: string;
  /** The admin listener (probes, metrics); the same as `url` when ADMIN_PORT equals PORT. */
  readonly adminUrl: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once the output contains the text; logs are written in batches, at least once a second. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

// Free ports for both listeners. The start-up credential check is off unless a test turns it on: a test that
// counts the calls its fake Authlete receives would count the check's call too.
const DEFAULTS = { HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', LOG_LEVEL: 'info', AUTHLETE_STARTUP_CHECK: 'off' };

function spawnGateway(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BUILT_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...DEFAULTS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the built gateway until it exits by itself (a configuration or start-up check that fails), with what it wrote. */
export function runGatewayToExit(env: Record<string, string>, timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
  const child = spawnGateway(env);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Runs the built gateway (dist/src/main.js) as its own process on 127.0.0.1 with free ports, and resolves
 * once it has logged the URLs it listens on.
 */
export function startGatewayProcess(env: Record<string, string>, timeoutMs = 15_000): Promise<GatewayProcess> {
  const child = spawnGateway(env);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const exitedEarly = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited with ${code} before listening:\n${output}`));
    };
    child.once('exit', exitedEarly);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /^.*"msg":"dcr-gateway listening.*$/m.exec(output)?.[0];
      const url = listening === undefined ? undefined : /"url":"([^"]+)"/.exec(listening)?.[1];
      const adminUrl = listening === undefined ? undefined : /"adminUrl":"([^"]+)"/.exec(listening)?.[1];
      if (url === undefined || adminUrl === undefined) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve({
        url,
        adminUrl,
        child,
        output: () => output,
        waitForOutput: async (text, waitMs = 3_000) => {
          const deadline = Date.now() + waitMs;
          while (!output.includes(text)) {
            if (Date.now() > deadline) throw new Error(`no "${text}" in the output within ${waitMs} ms:\n${output}`);
            await new Promise((next) => setTimeout(next, 20));
          }
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
