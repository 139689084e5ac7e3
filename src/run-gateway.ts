import { loadConfig } from './config/load-config';
import { startGateway, type RunningGateway } from './gateway';
import { drainOutputs } from './adapters/logging/process-output';
import { listenProblem } from './listen-problem';

const OUTPUT_DRAIN_MS = 1_000;

/**
 * Signals are heard from the first moment: one that arrives while the gateway is still starting stops it as
 * soon as it has started, instead of killing the process by default.
 */
function onStopSignal(stop: () => void): void {
  let signalled = false;
  const handle = (): void => {
    // A second signal while draining means "now": the operator has given up waiting.
    if (signalled) process.exit(1);
    signalled = true;
    stop();
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
  // SIGHUP asks a daemon to reopen its logs (an AUDIT_LOG file listens for it); unheard, it would end the process.
  process.on('SIGHUP', () => {});
}

/** The gateway as a process: settings from the environment, stopped by SIGTERM or SIGINT, the exit code set. */
export async function runGateway(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) process.stderr.write(`dcr-gateway: configuration: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  let gateway: RunningGateway | undefined;
  let stopRequested = false;
  const stop = (): void => {
    stopRequested = true;
    // The log's last lines are written asynchronously: they get a moment to go out, but a stuck reader of stdout
    // does not hold the exit.
    const exit = (code: number) => () => void drainOutputs(OUTPUT_DRAIN_MS).then(() => process.exit(code));
    gateway?.stop().then(exit(0), exit(1));
  };
  onStopSignal(stop);
  try {
    gateway = await startGateway(loaded.config);
  } catch (error) {
    const problem = listenProblem(error);
    if (problem === undefined) throw error;
    process.stderr.write(`dcr-gateway: cannot listen: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  if (stopRequested) stop();
}
