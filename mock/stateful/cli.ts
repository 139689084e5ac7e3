import { readCliEnv } from './cli-env';
import { startStatefulMock } from './stateful-mock';

const NAME = 'stateful-mock';

async function main(): Promise<void> {
  const read = readCliEnv(process.env);
  if (!read.ok) {
    process.stderr.write(`${NAME}: configuration: ${read.problems.join('; ')}\n`);
    process.exitCode = 1;
    return;
  }
  const mock = await startStatefulMock(read.settings);
  process.stdout.write(`${NAME}: Authlete client registration API listening at ${mock.url}\n`);
  const stop = (): void => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  // The listen error names the address, never a token: tokens reach no error path here.
  process.stderr.write(`${NAME}: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
