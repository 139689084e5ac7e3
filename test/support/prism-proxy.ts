import { spawn } from 'node:child_process';
import { freePort } from './free-port';
import { AUTHLETE_SPEC, PRISM_CLI } from './paths';

export interface PrismProxy {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Prism as a validating proxy in front of `upstream`: `prism proxy <spec> <upstream> --errors`, started with this
 * very Node. Every answer is checked against the spec; with --errors a breach becomes a 500 problem+json, and
 * the breaches are listed in the `sl-violations` header either way.
 */
export async function startPrismProxy(upstream: string, spec: string = AUTHLETE_SPEC): Promise<PrismProxy> {
  const port = await freePort();
  const child = spawn(process.execPath, [PRISM_CLI, 'proxy', '-h', '127.0.0.1', '-p', String(port), '--errors', spec, upstream], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.resume();
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
  return { url: `http://127.0.0.1:${port}`, stop };
}
