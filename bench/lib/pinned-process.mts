import type { ChildProcess } from 'node:child_process';

/** The command line that runs `program` on the given cores (taskset), or anywhere when none are given. */
export function onCores(cpus: string | undefined, program: string, args: readonly string[]): [string, string[]] {
  return cpus === undefined ? [program, [...args]] : ['taskset', ['-c', cpus, program, ...args]];
}

/** Asks a child process to stop (SIGTERM) and resolves once it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
