import { loadConfig } from './config/load-config';
import { startGateway } from './gateway';

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) process.stderr.write(`dcr-gateway: configuration: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  const gateway = await startGateway(loaded.config);
  const stop = (): void => {
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dcr-gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
