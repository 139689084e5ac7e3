import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts a bench helper script that prints "listening <port>" once it listens on 127.0.0.1. */
export function startChildServer(script: string, env: Record<string, string>, cpus: string | undefined): Promise<ChildServer> {
  const [command, argv] = cpus === undefined ? [process.execPath, [script]] : ['taskset', ['-c', cpus, process.execPath, script]];
  const child: ChildProcess = spawn(command, argv, { env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const port = /listening (\d+)/.exec(seen)?.[1];
      if (port === undefined) return;
      child.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${port}`,
        pid: child.pid ?? 0,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A process's resident memory now and at its highest, from /proc (Linux). */
export function residentMemory(pid: number): { rssBytes: number; peakBytes: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rssBytes: kib('VmRSS'), peakBytes: kib('VmHWM') };
  } catch {
    return { rssBytes: Number.NaN, peakBytes: Number.NaN };
  }
}
