import { freePort } from './loopback.mts';
import { AUTHLETE_SPEC, PRISM_CLI } from './paths.mts';
import { startProcess } from './running-process.mts';

export interface RunningPrism {
  readonly url: string;
  /** Which path started it, in words for the test output. */
  readonly how: string;
  stop(): Promise<void>;
}

const DEFAULT_IMAGE = 'stoplight/prism:5';
const SPEC_IN_CONTAINER = '/spec/openapi.yaml';
const LOCAL_PROCESS = 'as a local process from node_modules';

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
    return firstLine(error);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * The container path when a runtime answers; in auto mode, a container that does not start (its image neither
 * present nor pullable, say offline) falls back to the local path too, saying why, instead of failing the run.
 */
export async function inContainerOr<T extends { readonly how: string }>(mode: string, container: () => Promise<T>, local: () => Promise<T>): Promise<T> {
  if (mode === 'container') return container();
  let reason: string;
  try {
    return await container();
  } catch (error) {
    reason = firstLine(error);
  }
  const started = await local();
  return { ...started, how: `${started.how} (the container did not start: ${reason})` };
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

/**
 * Prism from node_modules, started with this very Node on 127.0.0.1 (on `port`, or a free one): `args` is its
 * command line without the address, e.g. ['mock', spec].
 */
async function startPrismProcess(args: readonly string[], how: string, port?: number, attempt = 1): Promise<RunningPrism> {
  const listenOn = port ?? (await freePort());
  // Only the tail of the output is kept: Prism logs every request it answers.
  const prism = startProcess(process.execPath, [PRISM_CLI, ...args, '-h', '127.0.0.1', '-p', String(listenOn)], { keepChars: 4096 });
  try {
    await prism.waitForOutput(/Prism is listening/, 60_000);
  } catch (error) {
    await prism.stop();
    // A port found free can be taken by another test's process before Prism binds it; a port of its own is tried again.
    if (port === undefined && attempt < 3 && prism.output().includes('EADDRINUSE')) return startPrismProcess(args, how, undefined, attempt + 1);
    throw error;
  }
  return {
    url: `http://127.0.0.1:${listenOn}`,
    how,
    stop: async () => {
      await prism.stop();
    },
  };
}

export interface PrismProxyOptions {
  /** The spec to hold the answers to (openapi/authlete.yaml unless said). */
  readonly spec?: string;
  /** The port to listen on, when the caller must know it before Prism starts. */
  readonly port?: number;
  /** More command-line options for Prism. */
  readonly args?: readonly string[];
}

/**
 * Prism as a validating proxy in front of `upstream`: every answer is checked against the spec; with --errors a
 * breach becomes a 500 problem+json, and the breaches are listed in `sl-violations` either way.
 */
export function startPrismProxy(upstream: string, options: PrismProxyOptions = {}): Promise<RunningPrism> {
  const args = ['proxy', '--errors', ...(options.args ?? []), options.spec ?? AUTHLETE_SPEC, upstream];
  return startPrismProcess(args, `as a validating proxy in front of ${upstream}`, options.port);
}

/** A Prism mock of another spec than the global setup's (openapi/authlete-v2.yaml, say), as a local process. */
export function startPrismMock(spec: string): Promise<RunningPrism> {
  return startPrismProcess(['mock', spec], LOCAL_PROCESS);
}

/**
 * Starts the Prism mock of openapi/authlete.yaml. PRISM_MODE=container|process forces a path; by default a
 * container is used when a container runtime answers within PRISM_PROBE_TIMEOUT_MS (3000) and it starts, else a
 * process.
 */
export async function startPrism(): Promise<RunningPrism> {
  const mode = process.env['PRISM_MODE'] ?? 'auto';
  if (mode === 'process') return startPrismProcess(['mock', AUTHLETE_SPEC], LOCAL_PROCESS);
  const problem = await containerRuntimeProblem(Number(process.env['PRISM_PROBE_TIMEOUT_MS'] ?? 3_000));
  const local = (how: string): Promise<RunningPrism> => startPrismProcess(['mock', AUTHLETE_SPEC], how);
  if (problem === undefined) return inContainerOr(mode, startInContainer, () => local(LOCAL_PROCESS));
  if (mode === 'container') throw new Error(`PRISM_MODE=container, but no container runtime answered: ${problem}`);
  return local(`${LOCAL_PROCESS} (no container runtime answered: ${problem})`);
}
