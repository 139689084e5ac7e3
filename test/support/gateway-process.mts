import { BUILT_MAIN, ROOT } from './paths.mts';
import { startProcess, type ProcessOptions, type RunningProcess } from './running-process.mts';

export interface GatewayProcess extends RunningProcess {
  readonly url: string;
  /** Milliseconds from spawn until the gateway said it listens (it writes that line at once, not in a batch). */
  readonly readyAfterMs: number;
}

export interface GatewayProcessOptions extends Pick<ProcessOptions, 'cpus' | 'keepChars'> {
  /** Node flags before the script, e.g. those of `npm start`. */
  readonly nodeArgs?: readonly string[];
  /** A program that runs Node in its own place, keeping the PID, e.g. `prlimit --nofile=1024:1024 --`. */
  readonly launcher?: readonly string[];
}

// The start-up line: JSON with a "url" field and a message that starts with these words.
const LISTENING = /^.*"msg":"dcr-gateway listening.*$/m;

/**
 * The built gateway (dist/src/main.js) as its own process on 127.0.0.1, on a port the system picks; resolves
 * once it has logged the URL it listens on. `env` is its whole environment, apart from PATH and these defaults.
 */
export async function startGatewayProcess(env: Record<string, string>, options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const started = performance.now();
  const [command = process.execPath, ...launcherArgs] = [...(options.launcher ?? []), process.execPath];
  const gateway = startProcess(command, [...launcherArgs, ...(options.nodeArgs ?? []), BUILT_MAIN], {
    ...options,
    cwd: ROOT,
    // No shutdown delay unless a test asks for one: a test's gateway has no load balancer to wait for.
    env: { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0', ...env },
  });
  try {
    const [line] = await gateway.waitForOutput(LISTENING, 15_000);
    const readyAfterMs = performance.now() - started;
    const url = /"url":"([^"]+)"/.exec(line)?.[1];
    if (url === undefined) throw new Error(`the start-up line names no URL: ${line}`);
    return { ...gateway, url, readyAfterMs };
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}
