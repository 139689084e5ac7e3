// This file may import only what any Node.js can load: the gateway's own imports need Node 24 (undici 8 fails at
// import on Node 20 with a stack trace), and imports are hoisted, so the gateway is loaded only after the check.
import { nodeVersionProblem } from './node-version';
import { readServicePackage } from './service-package';

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
  import('./run-gateway.js')
    .then(({ runGateway }) => runGateway())
    .catch(failedToStart);
}

try {
  main();
} catch (error) {
  failedToStart(error);
}
