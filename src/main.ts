// This file may import only what any Node.js can load: the gateway's own imports need Node 24 (undici 8 fails at
// import on Node 20 with a stack trace), and imports are hoisted, so the gateway is loaded only after the check.
import { nodeVersionProblem } from './node-version';
import { readServicePackage } from './service-package';
import type { StopSignal } from './run-gateway';

function failedToStart(error: unknown): void {
  process.stderr.write(`dcr-gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  // Parts started before the failure (the embedded mock, a Redis client) would keep the process alive for ever.
  process.exit(1);
}

function main(): void {
  const problem = nodeVersionProblem(process.versions.node, readServicePackage().engines.node);
  if (problem !== undefined) {
    process.stderr.write(`dcr-gateway: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  // Loading the gateway takes some 0.4 s, and an unheard SIGTERM or SIGINT kills by default, with no line; those
  // heard meanwhile are handed to the gateway, which answers them as if they came once it listened for them.
  const heardWhileLoading: StopSignal[] = [];
  const hear = (signal: StopSignal): void => {
    heardWhileLoading.push(signal);
  };
  const ignore = (): void => {};
  process.on('SIGTERM', hear);
  process.on('SIGINT', hear);
  process.on('SIGHUP', ignore);
  import('./run-gateway.js')
    .then(({ runGateway }) => {
      // The gateway's own listeners are on before its first wait; taken off earlier, a signal in between would
      // find none, and kill.
      const running = runGateway(heardWhileLoading);
      process.off('SIGTERM', hear);
      process.off('SIGINT', hear);
      process.off('SIGHUP', ignore);
      return running;
    })
    .catch(failedToStart);
}

try {
  main();
} catch (error) {
  failedToStart(error);
}
