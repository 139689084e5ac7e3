import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startProcess } from '../../test/support/running-process.mts';

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<unknown>;
}

/** Starts a bench helper script that prints "listening <port>" once it listens on 127.0.0.1. */
export async function startChildServer(script: string, env: Record<string, string>, cpus: string | undefined): Promise<ChildServer> {
  const server = startProcess(process.execPath, [script], { env: { PORT: '0', ...env }, ...(cpus !== undefined && { cpus }) });
  const [, port] = await server.waitForOutput(/listening (\d+)/);
  return { url: `http://127.0.0.1:${port}`, pid: server.pid, stop: () => server.stop() };
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

let ticksPerSecond: number | undefined;

/**
 * CPU time (user + system) a process has used so far, in seconds, from /proc (Linux); NaN elsewhere. Divided by
 * the requests answered meanwhile it gives the cost of a request, which, unlike req/s, does not depend on how
 * busy the load generator's core is.
 */
export function cpuSeconds(pid: number): number {
  try {
    ticksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}
