import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';
import { containerRuntimeProblem } from './prism-launcher';

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
export const HOW_TO_GET_REDIS =
  'these tests need Redis: install redis-server (Debian/Ubuntu: apt-get install redis-server) or run a container runtime (Docker, Podman) for testcontainers';

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`redis-server gave no ready line within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (seen.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${seen}`));
    });
  });
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** redis-server from PATH on a free loopback port, without persistence. */
async function startProcess(): Promise<RunningRedis> {
  if (spawnSync('redis-server', ['--version']).error !== undefined) throw new Error(HOW_TO_GET_REDIS);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await waitForReady(child, 10_000);
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    how: 'as a local redis-server process from PATH',
    interrupt: () => stopChild(child),
    restore: launch,
    stop: () => stopChild(child),
  };
}

async function startContainer(): Promise<RunningRedis> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const image = process.env['REDIS_IMAGE'] ?? DEFAULT_IMAGE;
  const container = await new GenericContainer(image)
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .withStartupTimeout(60_000)
    .start();
  const dockerHost = process.env['DOCKER_HOST'];
  const host = dockerHost === undefined || dockerHost.startsWith('unix://') ? '127.0.0.1' : container.getHost();
  // Pausing clients keeps the port mapping a restart could change: to the gateway, Redis stops answering.
  const pause = async (): Promise<void> => void (await container.exec(['redis-cli', 'CLIENT', 'PAUSE', '600000', 'ALL']));
  return {
    url: `redis://${host}:${container.getMappedPort(6379)}`,
    how: `in a container (testcontainers, image ${image})`,
    interrupt: pause,
    restore: async () => {
      await container.exec(['redis-cli', 'CLIENT', 'UNPAUSE']);
      await container.exec(['redis-cli', 'FLUSHALL']);
    },
    stop: async () => {
      await container.stop({ timeout: 5_000 });
    },
  };
}

/**
 * A real Redis for the tests. REDIS_MODE=container|process forces a path; by default a container when a
 * container runtime answers, else redis-server from PATH; when neither is there, it fails saying how to get one.
 */
export async function startRedis(): Promise<RunningRedis> {
  const mode = process.env['REDIS_MODE'] ?? 'auto';
  if (mode === 'process') return startProcess();
  const problem = await containerRuntimeProblem(Number(process.env['REDIS_PROBE_TIMEOUT_MS'] ?? 3_000));
  if (problem === undefined) return startContainer();
  if (mode === 'container') throw new Error(`REDIS_MODE=container, but no container runtime answered: ${problem}`);
  const redis = await startProcess();
  return { ...redis, how: `${redis.how} (no container runtime answered: ${problem})` };
}
