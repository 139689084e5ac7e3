import { spawn } from 'node:child_process';
import { freePort } from './free-port';
import { AUTHLETE_SPEC, PRISM_CLI } from './paths';

export interface PrismProxy {
  readonly url: string;
  /** The lines in which Prism reported an answer (or, when it validates them, a request) that breaks the spec. */
  violations(): readonly string[];
  stop(): Promise<void>;
}

export interface PrismProxyOptions {
  /** The port to listen on, when the caller must know it before Prism starts. */
  readonly port?: number;
  /** More command-line options for Prism. */
  readonly args?: readonly string[];
}

// Prism ends a request whose request or answer breaks the spec with a VIOLATIONS problem, and logs that line.
const VIOLATION = /errors#VIOLATIONS/;

/**
 * Prism as a validating proxy in front of `upstream`: `prism proxy <spec> <upstream> --errors`, started with this
 * very Node. Every answer is checked against the spec; with --errors a breach becomes a 500 problem+json, and
 * the breaches are listed in the `sl-violations` header either way.
 */
export async function startPrismProxy(upstream: string, spec: string = AUTHLETE_SPEC, options: PrismProxyOptions = {}): Promise<PrismProxy> {
  const port = options.port ?? (await freePort());
  const args = [PRISM_CLI, 'proxy', '-h', '127.0.0.1', '-p', String(port), '--errors', ...(options.args ?? []), spec, upstream];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  const violations: string[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (VIOLATION.test(line)) violations.push(line.trim());
  });
  const stop = (): Promise<void> =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((done) => {
          const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => {
            clearTimeout(kill);
            done();
          });
          child.kill('SIGTERM');
        });
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`Prism proxy did not listen within 60 s:\n${seen}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        seen = (seen + chunk.toString('utf8')).slice(-4096);
        if (seen.includes('Prism is listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Prism proxy exited with ${code} before listening:\n${seen}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, violations: () => [...violations], stop };
}
