import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import { onCores, stopChild } from './pinned-process.mts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const MAIN = resolve(ROOT, 'dist', 'src', 'main.js');

/** The Node flags of `npm start` (package.json), so a measurement runs the service the way it is deployed. */
export function productionNodeFlags(): string[] {
  const manifest: unknown = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
  const scripts = typeof manifest === 'object' && manifest !== null && 'scripts' in manifest ? manifest.scripts : undefined;
  const start = typeof scripts === 'object' && scripts !== null && 'start' in scripts ? scripts.start : undefined;
  const words = typeof start === 'string' ? start.split(/\s+/) : [];
  return words.slice(1, words.indexOf('dist/src/main.js')).filter((word) => word.startsWith('--'));
}

export interface ServiceProcess {
  readonly url: string;
  /** The admin listener: probes and /metrics. */
  readonly adminUrl: string;
  readonly child: ChildProcess;
  /** The inspector's WebSocket URL, when the service was started with --inspect. */
  readonly inspectorUrl: string | undefined;
  /** Milliseconds from spawn to the first ready answer. */
  readonly readyAfterMs: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((next) => setTimeout(next, 5));
  }
  throw new Error(`the service was not ready within ${timeoutMs} ms`);
}

/**
 * The built gateway (dist/src/main.js) as its own process on 127.0.0.1. `cpus` pins it to those cores with
 * taskset where the machine has it, so the load generator does not compete with it.
 */
export async function startService(env: Record<string, string>, options: { cpus?: string; nodeArgs?: string[] } = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const adminPort = await freePort();
  const args = [...(options.nodeArgs ?? []), MAIN];
  const [command, argv] = onCores(options.cpus, process.execPath, args);
  const started = performance.now();
  const child = spawn(command, argv, {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), ADMIN_PORT: String(adminPort), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // stderr is passed on, except the inspector's banner, which is read for its URL.
  let inspectorUrl: string | undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(text)?.[1];
    const rest = text
      .split('\n')
      .filter((line) => !/Debugger listening|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector/.test(line))
      .join('\n');
    if (rest.trim() !== '') process.stderr.write(rest);
  });
  const url = `http://127.0.0.1:${port}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  await waitReady(adminUrl, child, 15_000);
  const readyAfterMs = performance.now() - started;
  return {
    url,
    adminUrl,
    child,
    get inspectorUrl() {
      return inspectorUrl;
    },
    readyAfterMs,
    stop: () => stopChild(child),
  };
}

/** Reads one unlabelled sample from a Prometheus text page. */
export function metricValue(page: string, name: string): number {
  const line = page.split('\n').find((row) => row.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

export interface MemorySample {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

/** The service's memory as its own /metrics (on the admin listener) reports it. */
export async function memoryOf(adminUrl: string): Promise<MemorySample> {
  const page = await (await fetch(`${adminUrl}/metrics`)).text();
  return { rssBytes: metricValue(page, 'process_resident_memory_bytes'), heapUsedBytes: metricValue(page, 'nodejs_heap_size_used_bytes') };
}
