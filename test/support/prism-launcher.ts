import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';
import { AUTHLETE_SPEC, PRISM_CLI } from './paths';

export interface RunningPrism {
  readonly url: string;
  /** Which path started it, in words for the test output. */
  readonly how: string;
  stop(): Promise<void>;
}

const DEFAULT_IMAGE = 'stoplight/prism:5';
const SPEC_IN_CONTAINER = '/spec/openapi.yaml';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} gave no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Asks testcontainers for a container runtime. It fails fast when no socket exists, but can hang for a minute
 * when a socket accepts and never answers, hence the bound.
 */
export async function containerRuntimeProblem(timeoutMs: number): Promise<string | undefined> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await withTimeout(getContainerRuntimeClient(), timeoutMs, 'the container runtime');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

async function startInContainer(): Promise<RunningPrism> {
  const { GenericContainer, PullPolicy, Wait } = await import('testcontainers');
  const image = process.env['PRISM_IMAGE'] ?? DEFAULT_IMAGE;
  const pull = process.env['PRISM_PULL_POLICY'] === 'always' ? PullPolicy.alwaysPull() : PullPolicy.defaultPolicy();
  const container = await new GenericContainer(image)
    .withPullPolicy(pull)
    .withCopyFilesToContainer([{ source: AUTHLETE_SPEC, target: SPEC_IN_CONTAINER }])
    .withCommand(['mock', '-h', '0.0.0.0', SPEC_IN_CONTAINER])
    .withExposedPorts(4010)
    .withWaitStrategy(Wait.forLogMessage(/Prism is listening/))
    .withStartupTimeout(120_000)
    .start();
  // A runtime on a local socket publishes mapped ports on this machine's loopback too; testcontainers may name a
  // bridge address instead, and test traffic is to stay on 127.0.0.1.
  const dockerHost = process.env['DOCKER_HOST'];
  const host = dockerHost === undefined || dockerHost.startsWith('unix://') ? '127.0.0.1' : container.getHost();
  return {
    url: `http://${host}:${container.getMappedPort(4010)}`,
    how: `in a container (testcontainers, image ${image})`,
    stop: async () => {
      await container.stop({ timeout: 5_000 });
    },
  };
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        seen = (seen + chunk.toString('utf8')).slice(-4096);
        if (seen.includes('Prism is listening')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`Prism exited with ${code} before listening:\n${seen}`)));
    }),
    timeoutMs,
    'Prism',
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Prism from node_modules, started with this very Node. */
export async function startPrismProcess(spec: string = AUTHLETE_SPEC, args: readonly string[] = ['mock']): Promise<RunningPrism> {
  const port = await freePort();
  const child = spawn(process.execPath, [PRISM_CLI, ...args, '-h', '127.0.0.1', '-p', String(port), spec], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.resume();
  try {
    await waitForListening(child, 60_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, how: 'as a local process from node_modules', stop: () => stopChild(child) };
}

/**
 * Starts the Prism mock of openapi/authlete.yaml. PRISM_MODE=container|process forces a path; by default a
 * container is used when a container runtime answers within PRISM_PROBE_TIMEOUT_MS (3000), else a process.
 */
export async function startPrism(): Promise<RunningPrism> {
  const mode = process.env['PRISM_MODE'] ?? 'auto';
  if (mode === 'process') return startPrismProcess();
  const problem = await containerRuntimeProblem(Number(process.env['PRISM_PROBE_TIMEOUT_MS'] ?? 3_000));
  if (problem === undefined) return startInContainer();
  if (mode === 'container') throw new Error(`PRISM_MODE=container, but no container runtime answered: ${problem}`);
  const prism = await startPrismProcess();
  return { ...prism, how: `${prism.how} (no container runtime answered: ${problem})` };
}
