// This file may load only what any Node.js can load: the gateway's own imports need Node 24 (undici 8 fails at
// import on Node 20 with a stack trace), so the gateway is loaded only after the check. Everything is loaded by
// import() once the signals are heard: a static import is hoisted above the first line, and the version check
// alone (semver, zod) takes some 0.1 s, during which a SIGTERM, SIGINT or SIGHUP killed the process with no line.
import type { StopSignal } from './run-gateway';

function failedToStart(error: unknown): void {
  process.stderr.write(`dcr-gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  // Parts started before the failure (the embedded mock, a Redis client) would keep the process alive for ever.
  process.exit(1);
}

async function main(): Promise<void> {
  // Loading the gateway takes some 0.5 s, and an unheard SIGTERM or SIGINT kills by default, with no line; those
  // heard meanwhile are handed to the gateway, which answers them as if they came once it listened for them.
  const heardWhileLoading: StopSignal[] = [];
  const hear = (signal: StopSignal): void => {
    heardWhileLoading.push(signal);
  };
  const ignore = (): void => {};
  process.on('SIGTERM', hear);
  process.on('SIGINT', hear);
  process.on('SIGHUP', ignore);
  const stopHearing = (): void => {
    process.off('SIGTERM', hear);
    process.off('SIGINT', hear);
    process.off('SIGHUP', ignore);
  };
  const [{ nodeVersionProblem }, { readServicePackage }] = await Promise.all([import('./node-version.js'), import('./service-package.js')]);
  const problem = nodeVersionProblem(process.versions.node, readServicePackage().engines.node);
  if (problem !== undefined) {
    stopHearing();
    process.stderr.write(`dcr-gateway: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  const { runGateway } = await import('./run-gateway.js');
  // The gateway's own listeners are on before its first wait; taken off earlier, a signal in between would find
  // none, and kill.
  const running = runGateway(heardWhileLoading);
  stopHearing();
  return running;
}

main().catch(failedToStart);
