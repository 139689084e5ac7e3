import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../../test/support/running-process.mts';

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Non-2xx answers, socket errors and timeouts together. */
  readonly errors: number;
}

export interface WrkRun {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Cores for wrk, e.g. "1" (taskset), where the machine has them. */
  readonly cpus?: string;
}

function milliseconds(value: string, unit: string): number {
  const n = Number(value);
  switch (unit) {
    case 'us':
      return n / 1000;
    case 'ms':
      return n;
    case 's':
      return n * 1000;
    default:
      return n * 60_000;
  }
}

function latency(output: string, percent: string): number {
  const match = new RegExp(`^\\s*${percent}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  if (match === null) throw new Error(`wrk printed no ${percent}% latency:\n${output}`);
  return milliseconds(match[1] ?? '', match[2] ?? '');
}

function count(output: string, pattern: RegExp): number {
  const match = pattern.exec(output);
  return match === null ? 0 : [...match].slice(1).reduce((sum, n) => sum + Number(n ?? 0), 0);
}

/** Runs wrk (one thread) against the URL with a fixed request, and reads its summary. */
export async function runWrk(run: WrkRun): Promise<WrkResult> {
  const script = join(tmpdir(), `dcr-bench-${process.pid}.lua`);
  const headerLines = Object.entries(run.headers)
    .map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`)
    .join('\n');
  writeFileSync(script, `wrk.method = ${JSON.stringify(run.method)}\nwrk.body = ${JSON.stringify(run.body)}\n${headerLines}\n`);
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency', '-s', script, run.url];
  const wrk = startProcess('wrk', args, run.cpus === undefined ? {} : { cpus: run.cpus });
  const code = await wrk.exited.finally(() => rmSync(script, { force: true }));
  const output = wrk.stdout();
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${wrk.output()}`);
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const total = /(\d+) requests in/.exec(output);
  if (rate === null || total === null) throw new Error(`unexpected wrk output:\n${output}`);
  return {
    requestsPerSecond: Number(rate[1]),
    p50Ms: latency(output, '50'),
    p99Ms: latency(output, '99'),
    requests: Number(total[1]),
    errors:
      count(output, /Non-2xx or 3xx responses:\s+(\d+)/) +
      count(output, /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/),
  };
}
