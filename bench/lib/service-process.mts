import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../../test/support/gateway-process.mts';
import { ROOT } from '../../test/support/paths.mts';

/** The Node flags of `npm start` (package.json), so a measurement runs the service the way it is deployed. */
export function productionNodeFlags(): string[] {
  const manifest: unknown = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
  const scripts = typeof manifest === 'object' && manifest !== null && 'scripts' in manifest ? manifest.scripts : undefined;
  const start = typeof scripts === 'object' && scripts !== null && 'start' in scripts ? scripts.start : undefined;
  const words = typeof start === 'string' ? start.split(/\s+/) : [];
  return words.slice(1, words.indexOf('dist/src/main.js')).filter((word) => word.startsWith('--'));
}

export interface ServiceProcess extends GatewayProcess {
  /** The inspector's WebSocket URL, when the service was started with --inspect. */
  readonly inspectorUrl: string | undefined;
}

/**
 * The built gateway as its own process on 127.0.0.1 (the tests' launcher). `cpus` pins it to those cores with
 * taskset where the machine has it, so the load generator does not compete with it. Its readiness is the moment
 * it says it listens; only the tail of its access log is kept.
 */
export async function startService(env: Record<string, string>, options: { cpus?: string; nodeArgs?: string[] } = {}): Promise<ServiceProcess> {
  const service = await startGatewayProcess(env, { ...options, keepChars: 64 * 1024 });
  // Node writes the inspector's banner before the service starts, so it is in the output by now.
  const inspectorUrl = /Debugger listening on (ws:\/\/\S+)/.exec(service.stderr())?.[1];
  return { ...service, inspectorUrl };
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

/** The service's memory as its own /metrics reports it. */
export async function memoryOf(url: string): Promise<MemorySample> {
  const page = await (await fetch(`${url}/metrics`)).text();
  return { rssBytes: metricValue(page, 'process_resident_memory_bytes'), heapUsedBytes: metricValue(page, 'nodejs_heap_size_used_bytes') };
}
