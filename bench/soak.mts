// npm run soak [-- --requests 20000 --connections 64 --json bench/results/soak.json]
// A bounded load of whole client lifecycles against the built gateway on its embedded mock Authlete: reports
// unexpected answers (must be none), throughput, latency and the service's memory before, at peak and after.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { collectGarbage } from './lib/inspector.mts';
import { memoryOf, productionNodeFlags, startService, type MemorySample, type ServiceProcess } from './lib/service-process.mts';
import { mebibytes, percentile, round } from './lib/stats.mts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '64' },
    settle: { type: 'string', default: '2000' },
    json: { type: 'string' },
  },
});
const TARGET = Number(values.requests);
const CONNECTIONS = Number(values.connections);
const SETTLE_MS = Number(values.settle);
// The live heap after the soak may exceed the one before by this factor: caches warmed, code compiled.
const HEAP_TOLERANCE = 1.25;
const WARM_UP = 2_000;

interface Step {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: (client: Client) => string;
  readonly headers: (client: Client) => Record<string, string>;
  readonly body?: (client: Client) => string;
  readonly expect: number;
}

interface Client {
  id: string;
  token: string;
}

const json = { 'content-type': 'application/json' };
const bearer = (client: Client) => ({ authorization: `Bearer ${client.token}` });

// One client's life, with the mistakes client developers make on the way: 7 requests, 5 reach the mock.
const LIFE: readonly Step[] = [
  { method: 'GET', path: (c) => `/register/${c.id}`, headers: bearer, expect: 200 },
  { method: 'PUT', path: (c) => `/register/${c.id}`, headers: (c) => ({ ...json, ...bearer(c) }), body: (c) => JSON.stringify({ client_id: c.id, client_name: 'soak', redirect_uris: ['https://client.example.org/cb2'] }), expect: 200 },
  { method: 'GET', path: (c) => `/register/${c.id}`, headers: () => ({ authorization: 'Bearer wrong-token' }), expect: 401 },
  { method: 'PUT', path: (c) => `/register/${c.id}`, headers: (c) => ({ ...json, ...bearer(c) }), body: () => '{"client_id":', expect: 400 },
  { method: 'DELETE', path: (c) => `/register/${c.id}`, headers: bearer, expect: 204 },
  { method: 'GET', path: (c) => `/register/${c.id}`, headers: bearer, expect: 401 },
];

const REGISTRATION = JSON.stringify({ client_name: 'soak', redirect_uris: ['https://client.example.org/cb'] });

function readClient(body: string): Client {
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || !('client_id' in parsed) || !('registration_access_token' in parsed)) {
    throw new Error('registration answer without client_id or registration_access_token');
  }
  const { client_id: id, registration_access_token: token } = parsed;
  if (typeof id !== 'string' || typeof token !== 'string') throw new Error('registration answer with non-string fields');
  return { id, token };
}

async function main(): Promise<void> {
  // The service on core 0, this load generator on core 1, where the machine has two. The inspector lets the
  // soak collect the service's garbage before it reads the heap, so "after" shows what is still alive.
  const service = await startService({ LOG_LEVEL: 'info' }, { cpus: '0', nodeArgs: [...productionNodeFlags(), '--inspect=127.0.0.1:0'] });
  const liveHeap = async (of: ServiceProcess): Promise<MemorySample> => {
    if (of.inspectorUrl !== undefined) await collectGarbage(of.inspectorUrl);
    return memoryOf(of.adminUrl);
  };
  const pool = new Pool(service.url, { connections: CONNECTIONS });
  const latencies: number[] = [];
  const unexpected = new Map<string, number>();
  let sent = 0;

  async function request(method: Step['method'], path: string, headers: Record<string, string>, body: string | undefined, expected: number): Promise<string | undefined> {
    sent += 1;
    const started = performance.now();
    try {
      const answer = await pool.request({ method, path, headers, body });
      const text = await answer.body.text();
      latencies.push(performance.now() - started);
      if (answer.statusCode === expected) return text;
      const key = `${method} ${path.replace(/\/register\/.+/, '/register/:id')} → ${answer.statusCode} (expected ${expected})`;
      unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
    } catch (error) {
      const key = `${method}: ${error instanceof Error ? error.message : String(error)}`;
      unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
    }
    return undefined;
  }

  async function user(until: number): Promise<void> {
    while (sent < until) {
      const registered = await request('POST', '/register', json, REGISTRATION, 201);
      if (registered === undefined) continue;
      const client = readClient(registered);
      for (const step of LIFE) await request(step.method, step.path(client), step.headers(client), step.body?.(client), step.expect);
    }
  }

  // A short warm-up first, so "before" is a warm service (compiled code, filled pools), not a cold one.
  await Promise.all(Array.from({ length: CONNECTIONS }, () => user(WARM_UP)));
  if (unexpected.size > 0) throw new Error(`unexpected answers during the warm-up: ${JSON.stringify(Object.fromEntries(unexpected))}`);
  latencies.length = 0;
  sent = 0;
  const before = await liveHeap(service);
  let peak: MemorySample = before;
  const sampler = setInterval(() => {
    memoryOf(service.adminUrl).then(
      (now) => {
        if (now.rssBytes > peak.rssBytes) peak = now;
      },
      () => undefined,
    );
  }, 250);

  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, () => user(TARGET)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await new Promise((next) => setTimeout(next, SETTLE_MS));
  const after = await liveHeap(service);
  await pool.close();
  await service.stop();

  latencies.sort((a, b) => a - b);
  const errors = [...unexpected.values()].reduce((sum, n) => sum + n, 0);
  const report = {
    node: process.version,
    requests: sent,
    warmUpRequests: WARM_UP,
    connections: CONNECTIONS,
    errors,
    unexpected: Object.fromEntries(unexpected),
    seconds: round(seconds),
    requestsPerSecond: Math.round(sent / seconds),
    latencyMs: { p50: round(percentile(latencies, 0.5)), p99: round(percentile(latencies, 0.99)), max: round(latencies.at(-1) ?? Number.NaN) },
    memoryMiB: {
      before: { rss: mebibytes(before.rssBytes), heapUsed: mebibytes(before.heapUsedBytes) },
      peak: { rss: mebibytes(peak.rssBytes), heapUsed: mebibytes(peak.heapUsedBytes) },
      after: { rss: mebibytes(after.rssBytes), heapUsed: mebibytes(after.heapUsedBytes), settledMs: SETTLE_MS },
    },
    heapGrowthMiB: mebibytes(after.heapUsedBytes - before.heapUsedBytes),
    heapBackNearStart: after.heapUsedBytes <= before.heapUsedBytes * HEAP_TOLERANCE,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `soak: ${sent} requests over ${CONNECTIONS} connections in ${report.seconds} s (${report.requestsPerSecond} req/s), ` +
      `p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, ${errors} unexpected; ` +
      `live heap ${report.memoryMiB.before.heapUsed} → ${report.memoryMiB.after.heapUsed} MiB (peak ${report.memoryMiB.peak.heapUsed}), ` +
      `RSS ${report.memoryMiB.before.rss} → ${report.memoryMiB.peak.rss} → ${report.memoryMiB.after.rss} MiB\n`,
  );
  if (values.json !== undefined) {
    mkdirSync(dirname(values.json), { recursive: true });
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (errors > 0 || !report.heapBackNearStart) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
