import { spawn, type ChildProcess } from 'node:child_process';
import { BUILT_MAIN, ROOT } from './paths';

export interface GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once the output contains the text; logs are written in batches, at least once a second. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs the built gateway (dist/src/main.js) as its own process on 127.0.0.1 with a free port, and resolves
 * once it has logged the URL it listens on.
 */
export function startGatewayProcess(env: Record<string, string>, timeoutMs = 15_000, launcher: readonly string[] = []): Promise<GatewayProcess> {
  // A launcher (say `prlimit --nofile=1024:1024 --`) runs first and executes Node in its place, keeping the PID.
  const [command = process.execPath, ...launcherArgs] = [...launcher, process.execPath];
  const child = spawn(command, [...launcherArgs, BUILT_MAIN], {
    cwd: ROOT,
    // No shutdown delay unless a test asks for one: stopping a test's gateway need not wait for a load balancer.
    // The young-generation cap of the start command (npm start, the image), so memory is what production sees.
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0', NODE_OPTIONS: '--max-semi-space-size=8', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      const url = /"msg":"dcr-gateway listening/.test(output) ? /"url":"([^"]+)"/.exec(output)?.[1] : undefined;
      if (url === undefined) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve({
        url,
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
