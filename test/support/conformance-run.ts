import { spawn, type ChildProcess } from 'node:child_process';
import { BUILT_CHECK, ROOT } from './paths';

export interface CheckRun {
  readonly child: ChildProcess;
  /** What the check printed so far. */
  output(): string;
  /** Resolves once the output holds the text. */
  printed(text: string): Promise<void>;
  /** The exit code, once it has exited. */
  readonly exited: Promise<number | null>;
}

/** The built conformance check (`npm run check` without the build) as its own process. */
export function startCheck(args: readonly string[]): CheckRun {
  const child = spawn(process.execPath, [BUILT_CHECK, ...args], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const wait of waiting.filter((candidate) => output.includes(candidate.text))) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    printed: (text) => (output.includes(text) ? Promise.resolve() : new Promise((resolve) => waiting.push({ text, resolve }))),
    exited,
  };
}

/** Runs the check to its end. */
export async function runCheck(args: readonly string[]): Promise<{ readonly code: number | null; readonly output: string }> {
  const run = startCheck(args);
  const code = await run.exited;
  return { code, output: run.output() };
}
