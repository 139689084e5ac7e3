import { readdirSync, readFileSync } from 'node:fs';
import { productionNodeFlags } from '../../bench/lib/service-process.mts';

/** Node started as `npm start` and the image start it, so memory is what production sees. */
export const START_FLAGS = { nodeArgs: productionNodeFlags() };

/** File descriptors the process holds now (Linux /proc). */
export function descriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Resident memory now and at its peak, in MiB (VmRSS and VmHWM of /proc/<pid>/status). */
export function residentMiB(pid: number): { readonly now: number; readonly peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { now: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** Prints a stress run's figures where the CI log shows them. */
export function report(name: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[stress] ${name}: ${JSON.stringify(figures)}\n`);
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((next) => setTimeout(next, 20));
  }
}
