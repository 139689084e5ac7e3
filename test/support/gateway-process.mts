import { BUILT_MAIN, ROOT } from './paths.mts';
import { startProcess, type ProcessOptions, type RunningProcess } from './running-process.mts';

export interface GatewayProcess extends RunningProcess {
  readonly url: string;
  /** The admin listener (probes, metrics); the same as `url` when ADMIN_PORT equals PORT. */
  readonly adminUrl: string;
  /** Milliseconds from spawn until the gateway said it listens (it writes that line at once, not in a batch). */
  readonly readyAfterMs: number;
}

export interface GatewayProcessOptions extends Pick<ProcessOptions, 'cpus' | 'keepChars' | 'stderrTo'> {
  /** Node flags before the script, e.g. those of `npm start`. */
  readonly nodeArgs?: readonly string[];
  /** A program that runs Node in its own place, keeping the PID, e.g. `prlimit --nofile=1024:1024 --`. */
  readonly launcher?: readonly string[];
}

// The start-up line: JSON with "url" and "adminUrl" fields and a message that starts with these words.
const LISTENING = /^.*"msg":"dcr-gateway listening.*$/m;

// Free ports for both listeners. The start-up credential check is off unless a test turns it on: a test that
// counts the calls its fake Authlete receives would count the check's call too.
// No shutdown delay unless a test asks for one: a test's gateway has no load balancer to wait for.
const DEFAULTS = { HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', LOG_LEVEL: 'info', AUTHLETE_STARTUP_CHECK: 'off', SHUTDOWN_DELAY_MS: '0' };

/** The built gateway as a process, not waited on: for a test that acts while it is still starting. */
export function launchGatewayProcess(env: Record<string, string>): RunningProcess {
  return startProcess(process.execPath, [BUILT_MAIN], { cwd: ROOT, env: { ...DEFAULTS, ...env } });
}

/** The built gateway until it exits by itself (a configuration or a start-up check that fails): its code and output. */
export async function runGatewayToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const gateway = launchGatewayProcess(env);
  const code = await gateway.exited;
  return { code, output: gateway.output() };
}

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
    env: { ...DEFAULTS, ...env },
  });
  try {
    const [line] = await gateway.waitForOutput(LISTENING, 15_000);
    const readyAfterMs = performance.now() - started;
    const url = /"url":"([^"]+)"/.exec(line)?.[1];
    const adminUrl = /"adminUrl":"([^"]+)"/.exec(line)?.[1];
    if (url === undefined || adminUrl === undefined) throw new Error(`the start-up line names no URL: ${line}`);
    return { ...gateway, url, adminUrl, readyAfterMs };
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}

/** The JSON lines in a gateway's output (access log, audit trail, start-up lines), parsed; other output is skipped. */
export function jsonLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
