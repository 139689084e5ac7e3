import { loadConfig } from './config/load-config';
import { startGateway, StoppedDuringStartup, type RunningGateway } from './gateway';
import { drainOutputs } from './adapters/logging/process-output';
import { TOKENS } from './composition/tokens';
import { listenProblem } from './listen-problem';

const OUTPUT_DRAIN_MS = 1_000;

export type StopSignal = 'SIGTERM' | 'SIGINT';

/**
 * Signals are heard from the first moment, so that one arriving while the gateway is still starting stops it
 * rather than killing the process by default. The first asks for the orderly stop; a second, while that is under
 * way, means "now": the operator has given up waiting. Once it is done, a second only skips the wait for the output.
 */
function onStopSignal(stop: (signal: StopSignal) => void, stopNow: (signal: StopSignal) => void): (signal: StopSignal) => void {
  let signalled = false;
  const handle = (signal: StopSignal): void => {
    if (signalled) return stopNow(signal);
    signalled = true;
    stop(signal);
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
  // SIGHUP asks a daemon to reopen its logs (an AUDIT_LOG file listens for it); unheard, it would end the process.
  process.on('SIGHUP', () => {});
  return handle;
}

// Set once only the last lines are awaited: the exit code is then decided, and a further signal does not change it.
let exitingWith: number | undefined;

/**
 * Ends the process once the log's last lines have had a moment to go out: they are written asynchronously, and a
 * stuck reader of stdout must not hold the exit.
 */
function exitAfterOutput(code: number): void {
  exitingWith = code;
  void drainOutputs(OUTPUT_DRAIN_MS).then(() => process.exit(code));
}

/**
 * The gateway as a process: settings from the environment, stopped by SIGTERM or SIGINT, the exit code set.
 * `heardBefore` are the signals main heard while this module loaded, answered as if they came now.
 */
export async function runGateway(heardBefore: readonly StopSignal[] = []): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) process.stderr.write(`dcr-gateway: configuration: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  let gateway: RunningGateway | undefined;
  // Aborted by a signal that arrives before the gateway listens: it then never does.
  const starting = new AbortController();
  let signalledWhileStarting: StopSignal | undefined;
  const stop = (signal: StopSignal): void => {
    if (gateway === undefined) {
      signalledWhileStarting = signal;
      starting.abort(signal);
    } else gateway.stop().then(() => exitAfterOutput(0), () => exitAfterOutput(1));
  };
  const stopNow = (signal: StopSignal): void => {
    // The stop has finished, or a second signal has already ended it: only the output is awaited, and the operator
    // wants no wait at all. Nothing is left to cut off, so no line (on a stuck stderr it could block) and the code
    // stays the one decided: 0 after an orderly stop.
    if (exitingWith !== undefined) process.exit(exitingWith);
    if (gateway === undefined) {
      // Still letting go of what start-up had opened; no request was taken, and the gateway's logger is its own.
      process.stderr.write(`dcr-gateway: a second ${signal} ended the process during start-up\n`);
      return exitAfterOutput(1);
    }
    // Every request not yet answered and logged is cut off without a line of its own, those still receiving their
    // body included; of them, the ones held for Authlete's decision may have been decided there.
    const requestsInFlight = gateway.container.get(TOKENS.Drain).inFlight;
    const heldForAuthlete = gateway.container.get(TOKENS.CallGuard).load().admitted;
    gateway.container
      .get(TOKENS.Logger)
      .warn(
        { signal, requestsInFlight, heldForAuthlete },
        `a second ${signal} ended the process before its requests finished: ${requestsInFlight} still in flight`,
      );
    exitAfterOutput(1);
  };
  const handle = onStopSignal(stop, stopNow);
  for (const signal of heardBefore) handle(signal);
  // A signal that came while the modules loaded is delivered at the event loop's next turn, which the embedded
  // mock's start-up may not give before the gateway listens: one turn first, so it stops start-up here.
  await new Promise<void>((resolve) => setImmediate(resolve));
  try {
    gateway = await startGateway(loaded.config, undefined, starting.signal);
  } catch (error) {
    if (error instanceof StoppedDuringStartup) return exitAfterOutput(0);
    const problem = listenProblem(error);
    if (problem === undefined) throw error;
    process.stderr.write(`dcr-gateway: cannot listen: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  if (loaded.ignored.length > 0) {
    gateway.container
      .get(TOKENS.Logger)
      .warn({ ignored: loaded.ignored }, 'environment variables named like settings of this gateway, but none of them, are ignored: check their spelling against the README');
  }
  // The signal came while the listeners were being bound: the gateway started, and now stops in order.
  if (signalledWhileStarting !== undefined) stop(signalledWhileStarting);
}
