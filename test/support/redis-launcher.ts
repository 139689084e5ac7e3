import { spawnSync } from 'node:child_process';
import { freePort } from './loopback.mts';
import { containerRuntimeProblem, inContainerOr } from './prism-launcher';
import { startProcess, type RunningProcess } from './running-process.mts';

export interface RunningRedis {
  readonly url: string;
  /** Which path started it, in words for the test output. */
  readonly how: string;
  /** Takes Redis away (the process stops; a container stops answering) until `restore`. */
  interrupt(): Promise<void>;
  /** Brings Redis back at the same address, empty. */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_IMAGE = 'redis:7';
const READY = /Ready to accept connections/;
export const HOW_TO_GET_REDIS =
  'these tests need Redis: install redis-server (Debian/Ubuntu: apt-get install redis-server) or run a container runtime (Docker, Podman) for testcontainers';

/** redis-server from PATH on a free loopback port, without persistence. */
async function startLocalProcess(): Promise<RunningRedis> {
  if (spawnSync('redis-server', ['--version']).error !== undefined) throw new Error(HOW_TO_GET_REDIS);
  let port = await freePort();
  let server: RunningProcess | undefined;
  const launch = async (): Promise<void> => {
    server = startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { keepChars: 8_192 });
    await server.waitForOutput(READY, 10_000);
  };
  const halt = async (): Promise<void> => void (await server?.stop());
  // A port found free can be taken by another test's process before redis-server binds it: the first start tries
  // another. A restart after an outage keeps its port, which the gateways under test know.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      const taken = server?.output().includes('Address already in use') === true;
      await halt();
      if (!taken || attempt === 3) throw error;
      port = await freePort();
    }
  }
  return { url: `redis://127.0.0.1:${port}`, how: 'as a local redis-server process from PATH', interrupt: halt, restore: launch, stop: halt };
}

async function startContainer(): Promise<RunningRedis> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const image = process.env['REDIS_IMAGE'] ?? DEFAULT_IMAGE;
  const container = await new GenericContainer(image).withExposedPorts(6379).withWaitStrategy(Wait.forLogMessage(READY)).withStartupTimeout(60_000).start();
  const dockerHost = process.env['DOCKER_HOST'];
  const host = dockerHost === undefined || dockerHost.startsWith('unix://') ? '127.0.0.1' : container.getHost();
  const frozen = (await getContainerRuntimeClient()).container.getById(container.getId());
  return {
    url: `redis://${host}:${container.getMappedPort(6379)}`,
    how: `in a container (testcontainers, image ${image})`,
    // Frozen, the container keeps the port mapping a restart could change, and Redis falls silent to everything:
    // a new connection's handshake too. CLIENT PAUSE ... WRITE still answered it, so a gateway started during the
    // outage found Redis ready; PAUSE ... ALL would also hold back the CLIENT UNPAUSE meant to end it.
    interrupt: () => frozen.pause(),
    restore: async () => {
      await frozen.unpause();
      await container.exec(['redis-cli', 'FLUSHALL']);
    },
    stop: async () => void (await container.stop({ timeout: 5_000 })),
  };
}

/**
 * A real Redis for the tests. REDIS_MODE=container|process forces a path; by default a container when a
 * container runtime answers and it starts, else redis-server from PATH; when neither is there, it fails saying how to get one.
 */
export async function startRedis(): Promise<RunningRedis> {
  const mode = process.env['REDIS_MODE'] ?? 'auto';
  if (mode === 'process') return startLocalProcess();
  const problem = await containerRuntimeProblem(Number(process.env['REDIS_PROBE_TIMEOUT_MS'] ?? 3_000));
  if (problem === undefined) return inContainerOr(mode, startContainer, startLocalProcess);
  if (mode === 'container') throw new Error(`REDIS_MODE=container, but no container runtime answered: ${problem}`);
  const redis = await startLocalProcess();
  return { ...redis, how: `${redis.how} (no container runtime answered: ${problem})` };
}
