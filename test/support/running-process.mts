import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcessOptions {
  /** The whole environment of the child: nothing of this process's own leaks in, PATH aside. */
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Cores to run on, e.g. "0" (taskset), so a measured process does not compete with its load generator. */
  readonly cpus?: string;
  /** Keep only the last this many characters of output: a long-running, chatty child must not fill memory. */
  readonly keepChars?: number;
  /** A descriptor to be the child's stderr (a pipe the test holds and does not read), in place of one read here. */
  readonly stderrTo?: number;
}

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** What it wrote to stdout and stderr so far, in the order it arrived. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with the match once the output matches; rejects if the process exits first. The bound only turns a
   * hang into a failure that shows the output.
   */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it has not exited within `killAfterMs`; resolves with the exit code. */
  stop(killAfterMs?: number): Promise<number | null>;
}

const tail = (text: string, keep: number): string => (text.length > keep ? text.slice(-keep) : text);

/** Starts a program as a child process, keeping what it writes so a test can wait on it and read it. */
export function startProcess(command: string, args: readonly string[], options: ProcessOptions = {}): RunningProcess {
  const keep = options.keepChars ?? Number.POSITIVE_INFINITY;
  const [program, argv] = options.cpus === undefined ? [command, [...args]] : ['taskset', ['-c', options.cpus, command, ...args]];
  const child = spawn(program, argv, {
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    stdio: ['ignore', 'pipe', options.stderrTo ?? 'pipe'],
  });
  const text = { all: '', stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  // 'close' rather than 'exit': by then everything the child wrote has been read.
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code));
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    for (const listener of listeners) listener();
  });
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const written = chunk.toString('utf8');
    text[stream] = tail(text[stream] + written, keep);
    text.all = tail(text.all + written, keep);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));

  return {
    child,
    pid: child.pid ?? 0,
    output: () => text.all,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const settle = (): void => {
          listeners.delete(check);
          clearTimeout(timer);
        };
        const check = (): void => {
          const match = pattern.exec(text.all);
          if (match !== null) {
            settle();
            resolve(match);
          } else if (hasExited) {
            settle();
            reject(new Error(`${command} exited with ${child.exitCode ?? child.signalCode} before writing ${pattern}:\n${text.all}`));
          }
        };
        const timer = setTimeout(() => {
          settle();
          reject(new Error(`${command} wrote no ${pattern} within ${timeoutMs} ms:\n${text.all}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    exited,
    stop: async (killAfterMs = 5_000) => {
      if (!hasExited) {
        const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(kill);
      }
      return exited;
    },
  };
}
