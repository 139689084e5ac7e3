import { CreatedClients } from './created-clients';
import { Exchanges } from './exchange';
import { readArguments, USAGE } from './arguments';
import { Redaction } from './redaction';
import { Report } from './report';
import { Scenario } from './scenario';

const NAME = 'dcr-gateway conformance check';
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs the RFC 7591 / RFC 7592 scenario against a deployment's registration endpoint and prints one line per
 * check. Exit code 0 when nothing failed, 1 when a check failed, 2 for a usage error, 130/143 when interrupted;
 * in every case the clients it registered are deleted before it exits.
 */
async function main(): Promise<number> {
  const read = readArguments(process.argv.slice(2));
  if (!read.ok) {
    process.stderr.write(`${NAME}: ${read.problem}\n${USAGE}\n`);
    return 2;
  }
  const { endpoint, initialAccessToken, timeoutMs } = read.args;
  const redaction = new Redaction();
  redaction.remember(initialAccessToken);
  const report = new Report((line) => process.stdout.write(`${line}\n`), redaction);
  const created = new CreatedClients(endpoint);
  const interruption = new AbortController();
  let interruptedBy: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal while cleaning up gives up at once.
    if (interruptedBy !== undefined) process.exit(SIGNAL_EXIT[signal] ?? 1);
    interruptedBy = signal;
    interruption.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  report.note(`${NAME} of ${endpoint.href}${initialAccessToken === undefined ? '' : ' (with an initial access token)'}`);
  try {
    await new Scenario({ endpoint, initialAccessToken, exchanges: new Exchanges(timeoutMs, interruption.signal), report, redaction, created }).run();
  } catch (error) {
    if (interruptedBy === undefined) report.note(`error  the check itself failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    // The cleanup has a signal of its own: the interruption must not stop it.
    for (const line of await created.deleteRemaining(new Exchanges(timeoutMs, new AbortController().signal))) report.note(line);
  }
  if (interruptedBy !== undefined) {
    report.note(`interrupted by ${interruptedBy}; ${report.summary()} before that`);
    return SIGNAL_EXIT[interruptedBy] ?? 1;
  }
  report.note(report.summary());
  return report.failed() || report.results.length === 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
