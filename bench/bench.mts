// npm run bench [-- --rounds 5 --seconds 10 --post-rounds 15 --post-seconds 3 --connections 50 --json bench/results/bench.json]
// Also POST <registration path> against the same gateway build with its abuse limits off, counted in memory, and
// counted in Redis (redis-server from PATH), so the cost of the limits is measured in the same run.
// What the gateway costs on top of a bare pass-through: the same PUT against (b) node:http + undici request
// (the limit for this shape of service) and (c) the production build of the gateway, both in front of the same
// fast fake Authlete (a), in alternation, in one run. wrk drives the load; where the machine has two cores the
// server under test gets core 0 and wrk and the fake Authlete core 1.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, residentMemory, startChildServer, type ChildServer } from './lib/child-server.mts';
import { productionNodeFlags, startService } from './lib/service-process.mts';
import { mebibytes, round } from './lib/stats.mts';
import { startRedisServer } from './lib/redis-process.mts';
import { runWrk, type WrkResult } from './lib/wrk.mts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'post-rounds': { type: 'string', default: '15' },
    'post-seconds': { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    json: { type: 'string' },
    'node-flags': { type: 'string' },
    ladder: { type: 'boolean', default: false },
    // put: only the PUT comparison (and --ladder); post: only the registrations with and without limits.
    only: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const MEASURE_PUT = values.only === undefined || values.only === 'put';
const MEASURE_POST = values.only === undefined || values.only === 'post';
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const POST_ROUNDS = Number(values['post-rounds']);
const POST_SECONDS = Number(values['post-seconds']);

const TARGETS = { throughputRatio: 0.75, p99Ratio: 1.5, peakRssMiB: 150, readyMs: 1000, limitsInMemoryRatio: 0.95, limitsInRedisRatio: 0.85 };

const CLIENT_ID = '5899463614448063';
const BODY = JSON.stringify({
  client_id: CLIENT_ID,
  client_name: 'Benchmark Client',
  redirect_uris: ['https://client.example.org/callback', 'https://client.example.org/callback2'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'openid profile email offline_access',
  contacts: ['ops@client.example.org'],
  logo_uri: 'https://client.example.org/logo.png',
  client_uri: 'https://client.example.org',
  policy_uri: 'https://client.example.org/policy',
  tos_uri: 'https://client.example.org/tos',
  software_id: '4NRB1-0XZABZI9E6-5SM3R',
  software_version: '2.1.0',
  jwks_uri: 'https://client.example.org/jwks.json',
});
const HEADERS = { Authorization: 'Bearer R3gAcc3ssT0ken-created-Qm9Yd2p8ZkLx', 'Content-Type': 'application/json' };

/** What a contender is sent: the PUT of the main comparison, or the registration of the limits comparison. */
interface Scenario {
  readonly method: 'PUT' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly status: number;
}
const PUT_CLIENT: Scenario = { method: 'PUT', path: `/register/${CLIENT_ID}`, headers: HEADERS, status: 200 };
const POST_REGISTRATION: Scenario = { method: 'POST', path: '/register', headers: { 'Content-Type': 'application/json' }, status: 201 };

// Limits the load never reaches: every request pays for the counting, none is refused.
const NEVER_REACHED = '999999999/1h';
const LIMITS_OFF = { LIMIT_REGISTRATIONS_PER_IP: 'off', LIMIT_REGISTRATIONS_TOTAL: 'off', LIMIT_AUTH_FAILURES_PER_IP: 'off' };
const LIMITS_ON = { LIMIT_REGISTRATIONS_PER_IP: NEVER_REACHED, LIMIT_REGISTRATIONS_TOTAL: NEVER_REACHED, LIMIT_AUTH_FAILURES_PER_IP: NEVER_REACHED };

const here = import.meta.dirname;
const median = (numbers: readonly number[]): number => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? Number.NaN;

/**
 * The median, over the passes, of one contender's throughput against another's in the same pass. The machine's
 * speed drifts by 10% and more within a minute on a shared VM; contenders measured one after the other in the
 * same pass see nearly the same machine, so each pass's ratio is fair even when the passes differ.
 */
function pairedRatio(contender: Contender, base: Contender): number {
  return round(median(contender.rounds.map((r, pass) => r.requestsPerSecond / (base.rounds[pass]?.requestsPerSecond ?? Number.NaN))));
}

interface Contender {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly scenario: Scenario;
  readonly rounds: Measured[];
}

/** One wrk round, and the CPU time the server under test spent on each request answered in it. */
interface Measured extends WrkResult {
  readonly cpuMicrosPerRequest: number;
}

async function checkAnswers(contender: Contender): Promise<void> {
  const { method, path, headers, status } = contender.scenario;
  const response = await fetch(`${contender.url}${path}`, { method, headers, body: BODY });
  const text = await response.text();
  if (response.status !== status || !text.includes(CLIENT_ID)) throw new Error(`${contender.name} answered ${response.status}: ${text}`);
}

function summary(contender: Contender) {
  const memory = residentMemory(contender.pid);
  return {
    requestsPerSecond: Math.round(median(contender.rounds.map((r) => r.requestsPerSecond))),
    cpuMicrosPerRequest: Math.round(median(contender.rounds.map((r) => r.cpuMicrosPerRequest))),
    p50Ms: round(median(contender.rounds.map((r) => r.p50Ms))),
    p99Ms: round(median(contender.rounds.map((r) => r.p99Ms))),
    peakRssMiB: mebibytes(memory.peakBytes),
    errors: contender.rounds.reduce((sum, r) => sum + r.errors, 0),
    rounds: contender.rounds.map((r) => ({
      requestsPerSecond: Math.round(r.requestsPerSecond),
      cpuMicrosPerRequest: Math.round(r.cpuMicrosPerRequest),
      p50Ms: round(r.p50Ms),
      p99Ms: round(r.p99Ms),
    })),
  };
}

async function main(): Promise<void> {
  if (values.only !== undefined && !MEASURE_PUT === !MEASURE_POST) throw new Error(`--only takes put or post, not ${values.only}`);
  if (spawnSync('wrk', ['-v']).error !== undefined) throw new Error('wrk is not installed (Debian: apt-get install wrk)');
  const pinned = availableParallelism() >= 2;
  const serverCpu = pinned ? '0' : undefined;
  const loadCpu = pinned ? '1' : undefined;
  const started: ChildServer[] = [];
  // The service runs as `npm start` runs it, V8 flags included, unless --node-flags says otherwise.
  const nodeFlags = values['node-flags'] === undefined ? productionNodeFlags() : values['node-flags'].split(/\s+/).filter(Boolean);
  try {
    const authlete = await startChildServer(resolve(here, 'fake-authlete.mts'), {}, loadCpu);
    started.push(authlete);
    const passThrough = await startChildServer(resolve(here, 'pass-through.mts'), { UPSTREAM: authlete.url }, serverCpu);
    started.push(passThrough);
    const gatewayEnv = {
      NODE_ENV: 'production',
      AUTHLETE_BASE_URL: authlete.url,
      AUTHLETE_SERVICE_ID: 'bench',
      AUTHLETE_SERVICE_ACCESS_TOKEN: 'bench-service-token',
      LOG_LEVEL: 'info',
    };
    const startGateway = async (env: Record<string, string>) => {
      const gatewayProcess = await startService({ ...gatewayEnv, ...env }, { nodeArgs: nodeFlags, ...(serverCpu !== undefined && { cpus: serverCpu }) });
      started.push({ url: gatewayProcess.url, pid: gatewayProcess.child.pid ?? 0, stop: gatewayProcess.stop });
      return gatewayProcess;
    };
    const service = await startGateway({});

    const limit: Contender = { name: 'pass-through (node:http + undici request)', url: passThrough.url, pid: passThrough.pid, scenario: PUT_CLIENT, rounds: [] };
    const gateway: Contender = { name: 'dcr-gateway (production build)', url: service.url, pid: service.child.pid ?? 0, scenario: PUT_CLIENT, rounds: [] };

    // POST <registration path>: the same build with its limits off, in memory, and in a Redis on the load's core.
    const registrar = await startChildServer(resolve(here, 'fake-authlete.mts'), { ANSWER: 'CREATED' }, loadCpu);
    started.push(registrar);
    const redis = await startRedisServer(loadCpu);
    started.push({ url: redis.url, pid: 0, stop: redis.stop });
    const registration = async (name: string, env: Record<string, string>): Promise<Contender> => {
      const server = await startGateway({ AUTHLETE_BASE_URL: registrar.url, ...env });
      return { name, url: server.url, pid: server.child.pid ?? 0, scenario: POST_REGISTRATION, rounds: [] };
    };
    const limitsOff = await registration('POST, limits off', LIMITS_OFF);
    const limitsInMemory = await registration('POST, limits in memory', LIMITS_ON);
    const limitsInRedis = await registration('POST, limits in Redis', { ...LIMITS_ON, RATE_LIMIT_REDIS_URL: redis.url });
    // --ladder: the same pass-through on the gateway's own stack, layer by layer, to show where the cost lies.
    const steps: Contender[] = [];
    if (values.ladder) {
      for (const [stack, client, name] of [
        ['koa', 'undici', 'pass-through on Koa alone'],
        ['full', 'undici', '  ... + @koa/router + @koa/bodyparser'],
        ['full', 'openapi', '  ... + openapi-fetch (gateway transport)'],
      ] as const) {
        const server = await startChildServer(resolve(here, 'koa-pass-through.mts'), { UPSTREAM: authlete.url, STACK: stack, UPSTREAM_CLIENT: client }, serverCpu);
        started.push(server);
        steps.push({ name, url: server.url, pid: server.pid, scenario: PUT_CLIENT, rounds: [] });
      }
    }
    const putContenders = MEASURE_PUT ? [limit, ...steps, gateway] : [];
    const postContenders = MEASURE_POST ? [limitsOff, limitsInMemory, limitsInRedis] : [];
    const contenders = [...putContenders, ...postContenders];
    const wrk = (contender: Contender, seconds: number) =>
      runWrk({
        url: `${contender.url}${contender.scenario.path}`,
        connections: CONNECTIONS,
        seconds,
        method: contender.scenario.method,
        headers: contender.scenario.headers,
        body: BODY,
        ...(loadCpu !== undefined && { cpus: loadCpu }),
      });

    for (const contender of contenders) {
      await checkAnswers(contender);
      await wrk(contender, Number(values.warmup));
    }
    const measure = async (group: readonly Contender[], rounds: number, seconds: number): Promise<void> => {
      for (let pass = 1; pass <= rounds; pass++) {
        for (const contender of group) {
          const cpuBefore = cpuSeconds(contender.pid);
          const result = await wrk(contender, seconds);
          const cpuMicrosPerRequest = ((cpuSeconds(contender.pid) - cpuBefore) * 1e6) / result.requests;
          contender.rounds.push({ ...result, cpuMicrosPerRequest });
          process.stdout.write(
            `round ${pass} ${contender.name}: ${Math.round(result.requestsPerSecond)} req/s, ${Math.round(cpuMicrosPerRequest)} µs CPU/req, ` +
              `p50 ${round(result.p50Ms)} ms, p99 ${round(result.p99Ms)} ms\n`,
          );
        }
      }
    };
    await measure(putContenders, ROUNDS, SECONDS);
    // The limits' cost is a few percent at most: many short passes, each pairing the three builds within seconds,
    // resolve it where a few long ones drown in the VM's drift.
    await measure(postContenders, POST_ROUNDS, POST_SECONDS);

    const limitSummary = summary(limit);
    const stepSummaries = steps.map((step) => [step.name, summary(step)] as const);
    const gatewaySummary = summary(gateway);
    const [offSummary, memorySummary, redisSummary] = [limitsOff, limitsInMemory, limitsInRedis].map(summary) as [
      ReturnType<typeof summary>,
      ReturnType<typeof summary>,
      ReturnType<typeof summary>,
    ];
    const ratios = {
      throughput: pairedRatio(gateway, limit),
      p99: round(gatewaySummary.p99Ms / limitSummary.p99Ms),
      limitsInMemory: pairedRatio(limitsInMemory, limitsOff),
      limitsInRedis: pairedRatio(limitsInRedis, limitsOff),
    };
    // Only what this run measured is judged (--only leaves the other comparison out).
    const verdicts = {
      ...(MEASURE_PUT && {
        throughput: ratios.throughput >= TARGETS.throughputRatio,
        p99: ratios.p99 <= TARGETS.p99Ratio,
        peakRss: gatewaySummary.peakRssMiB < TARGETS.peakRssMiB,
        ready: service.readyAfterMs < TARGETS.readyMs,
        noErrors: gatewaySummary.errors === 0 && limitSummary.errors === 0,
      }),
      ...(MEASURE_POST && {
        limitsInMemory: ratios.limitsInMemory >= TARGETS.limitsInMemoryRatio,
        limitsInRedis: ratios.limitsInRedis >= TARGETS.limitsInRedisRatio,
        noRegistrationErrors: offSummary.errors + memorySummary.errors + redisSummary.errors === 0,
      }),
    };
    const report = {
      node: process.version,
      cores: availableParallelism(),
      pinned,
      connections: CONNECTIONS,
      secondsPerRound: SECONDS,
      rounds: ROUNDS,
      registrationRounds: POST_ROUNDS,
      registrationSecondsPerRound: POST_SECONDS,
      bodyBytes: Buffer.byteLength(BODY),
      ...(MEASURE_PUT && {
        limit: limitSummary,
        ladder: Object.fromEntries(stepSummaries),
        gateway: { ...gatewaySummary, readyMs: Math.round(service.readyAfterMs), nodeFlags },
      }),
      ...(MEASURE_POST && { registration: { limitsOff: offSummary, limitsInMemory: memorySummary, limitsInRedis: redisSummary } }),
      ratios,
      targets: TARGETS,
      verdicts,
    };

    process.stdout.write(`\n${'contender'.padEnd(44)}${'req/s'.padStart(8)}${'µs CPU/req'.padStart(12)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'peak RSS MiB'.padStart(14)}${'ratio'.padStart(8)}\n`);
    const rows = [
      ...(MEASURE_PUT
        ? [
            [limit, limitSummary, limit] as const,
            ...steps.map((step, i) => [step, stepSummaries[i]?.[1] ?? summary(step), limit] as const),
            [gateway, gatewaySummary, limit] as const,
          ]
        : []),
      ...(MEASURE_POST ? [[limitsOff, offSummary, limitsOff] as const, [limitsInMemory, memorySummary, limitsOff] as const, [limitsInRedis, redisSummary, limitsOff] as const] : []),
    ];
    for (const [contender, s, base] of rows) {
      const { name } = contender;
      const ratio = pairedRatio(contender, base);
      process.stdout.write(
        `${name.padEnd(44)}${String(s.requestsPerSecond).padStart(8)}${String(s.cpuMicrosPerRequest).padStart(12)}${String(s.p50Ms).padStart(9)}${String(s.p99Ms).padStart(9)}${String(s.peakRssMiB).padStart(14)}${String(ratio).padStart(8)}\n`,
      );
    }
    process.stdout.write('\n');
    if (MEASURE_PUT) {
      process.stdout.write(
        `service/limit: throughput ${ratios.throughput} (target >= ${TARGETS.throughputRatio}) ${mark(verdicts.throughput)}, ` +
          `p99 ${ratios.p99} (target <= ${TARGETS.p99Ratio}) ${mark(verdicts.p99)}\n` +
          `gateway peak RSS ${gatewaySummary.peakRssMiB} MiB (target < ${TARGETS.peakRssMiB}) ${mark(verdicts.peakRss)}, ` +
          `ready after ${Math.round(service.readyAfterMs)} ms (target < ${TARGETS.readyMs}) ${mark(verdicts.ready)}, ` +
          `errors ${gatewaySummary.errors + limitSummary.errors} ${mark(verdicts.noErrors)}\n`,
      );
    }
    if (MEASURE_POST) {
      process.stdout.write(
        `POST with limits, against limits off: in memory ${ratios.limitsInMemory} (target >= ${TARGETS.limitsInMemoryRatio}) ${mark(verdicts.limitsInMemory)}, ` +
          `in Redis ${ratios.limitsInRedis} (target >= ${TARGETS.limitsInRedisRatio}) ${mark(verdicts.limitsInRedis)}, ` +
          `errors ${offSummary.errors + memorySummary.errors + redisSummary.errors} ${mark(verdicts.noRegistrationErrors)}\n`,
      );
    }
    process.stdout.write(
      `(${process.version}, ${availableParallelism()} cores${pinned ? ', server on core 0, wrk and fake Authlete on core 1' : ', unpinned'}, ` +
        `gateway started as: node ${[...nodeFlags, 'dist/src/main.js'].join(' ')})\n`,
    );
    if (values.json !== undefined) {
      mkdirSync(dirname(values.json), { recursive: true });
      writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    }
    if (!Object.values(verdicts).every(Boolean)) process.exitCode = 1;
  } finally {
    for (const server of started.reverse()) await server.stop();
  }
}

function mark(ok: boolean | undefined): string {
  return ok ? 'met' : 'MISSED';
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
