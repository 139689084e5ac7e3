import type { Container } from 'inversify';
import type { LimitRule } from './domain/limits';
import type { AddressInfo } from 'node:net';
import { proxyFor } from './adapters/authlete/authlete-dispatcher';
import { loadRedisConnection } from './adapters/limits/load-redis-connection';
import { loadTracing, type Tracing } from './adapters/observability/tracing/tracing';
import { createContainer } from './composition/container';
import { openAuthority, type OpenedAuthority } from './composition/open-authority';
import { runStartupCheck } from './composition/startup-check';
import { TOKENS } from './composition/tokens';
import type { CloseResult } from './adapters/http/gateway-server';
import type { AuthleteSettings, GatewayConfig } from './config/gateway-config';
import { readServicePackage } from './service-package';

export interface RunningGateway {
  /** Where the gateway can be reached from this machine, e.g. http://localhost:8080. */
  readonly url: string;
  /** Where the probes and metrics answer: the admin listener, or `url` when they share it. */
  readonly adminUrl: string;
  readonly container: Container;
  /** Stops accepting requests, lets the open ones finish (within the grace period), then lets go of the authority. */
  stop(): Promise<CloseResult>;
}

/** A stop signal arrived before the gateway listened: it let go of what it had started and never listens. */
export class StoppedDuringStartup extends Error {
  constructor(readonly signal: string) {
    super(`stopped by ${signal} during start-up, before listening`);
    this.name = 'StoppedDuringStartup';
  }
}

function stoppedYet(stopSignal: AbortSignal | undefined): void {
  if (stopSignal?.aborted === true) throw new StoppedDuringStartup(String(stopSignal.reason));
}

/** `step`, unless the stop signal comes first: a slow Authlete or Redis must not hold a process told to stop. */
async function untilStopped<T>(step: Promise<T>, stopSignal: AbortSignal | undefined): Promise<T> {
  if (stopSignal === undefined) return step;
  stoppedYet(stopSignal);
  let onAbort: () => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(new StoppedDuringStartup(String(stopSignal.reason)));
    stopSignal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([step, stopped]);
  } finally {
    stopSignal.removeEventListener('abort', onAbort);
  }
}

const ANY_INTERFACE = new Set(['0.0.0.0', '::', '']);
// Spans still buffered get this long to reach the collector at shutdown; an unreachable one must not hold the exit.
const TRACE_FLUSH_MS = 2_000;
/** How long the stop waits for requests cut off at the end of the grace period to finish and be logged. */
const LAST_ANSWERS_WAIT_MS = 1_000;

function reachableUrl(address: AddressInfo, host: string | undefined): string {
  const name = host === undefined || ANY_INTERFACE.has(host) ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${address.port}`;
}

async function flushTraces(tracing: Tracing | undefined): Promise<void> {
  if (tracing === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, TRACE_FLUSH_MS)));
  await Promise.race([tracing.shutdown().catch(() => undefined), late]);
  clearTimeout(timer);
}

/**
 * Lets go of Authlete (abandoning its calls in flight when `abandon`), then, once the requests left have written
 * their lines and audit events, of the limits' store, the audit trail and the tracer.
 */
async function release(container: Container, authority: OpenedAuthority, tracing: Tracing | undefined, abandon: boolean): Promise<void> {
  const dispatcher = container.get(TOKENS.AuthleteDispatcher);
  await (abandon ? dispatcher.destroy() : dispatcher.close());
  await container.get(TOKENS.Drain).allAnswered(LAST_ANSWERS_WAIT_MS);
  await authority.close();
  await container.get(TOKENS.Limits).close();
  container.get(TOKENS.AuditTrail).close();
  await flushTraces(tracing);
}

interface Listening {
  readonly url: string;
  readonly adminUrl: string;
  readonly registrationUrl: string;
  /** The egress proxy of the Authlete calls, without its credentials; 'none' when they go direct. */
  readonly proxy: string;
  readonly tracing: 'otlp' | 'off';
  /** Where the abuse limits are counted: memory, or Redis. */
  readonly limitsStore: string;
}

/**
 * What an operator checks first when the service comes up: which build on which Node.js, which Authlete service
 * in which API version (its ID, or v2's API key, is no secret; the token or API secret stays out), the limits of
 * the calls to it, and where clients register.
 */
function startupFacts(config: GatewayConfig, authlete: AuthleteSettings, { url, adminUrl, registrationUrl, proxy, tracing, limitsStore }: Listening) {
  return {
    version: readServicePackage().version,
    node: process.versions.node,
    url,
    adminUrl,
    registrationUrl,
    proxy,
    tracing,
    authlete: {
      apiVersion: authlete.apiVersion,
      baseUrl: authlete.baseUrl,
      ...(authlete.apiVersion === 'v2' ? { serviceApiKey: authlete.serviceApiKey } : { serviceId: authlete.serviceId }),
      timeoutMs: authlete.timeoutMs,
      maxConnections: authlete.maxConnections,
    },
    keepAliveTimeoutMs: config.http.keepAliveTimeoutMs,
    maxConnections: config.http.maxConnections,
    maxConnectionsPerIp: config.http.maxConnectionsPerAddress ?? 'off',
    logLevel: config.logLevel,
    registrationAccess: config.exposure.registrationAccess.kind,
    limits: { store: limitsStore, ...limitFacts(config.exposure.limits) },
    cors: config.exposure.cors === undefined ? 'off' : config.exposure.cors.allowedOrigins,
    audit: config.exposure.audit.kind === 'file' ? config.exposure.audit.path : config.exposure.audit.kind,
    trustProxyHops: config.exposure.trustProxyHops,
  };
}

function limitText(rule: LimitRule | undefined): string {
  return rule === undefined ? 'off' : `${rule.count}/${rule.windowSeconds}s`;
}

function limitFacts(limits: GatewayConfig['exposure']['limits']) {
  return {
    registrationsPerIp: limitText(limits.registrationsPerIp),
    registrationsTotal: limitText(limits.registrationsTotal),
    authFailuresPerIp: limitText(limits.authFailuresPerIp),
  };
}

/**
 * Starts a gateway: tracing (when configured), its authority (Authlete, or the embedded mock), the composed
 * adapters, the start-up credential check, the HTTP listeners. `adjust` sees the container before anything is
 * resolved from it: a test swaps an adapter there. Once `stopSignal` is aborted (its reason names the signal),
 * the gateway stops waiting on the check or Redis, lets go of what it started and rejects with
 * StoppedDuringStartup, without listening; aborted once the public listener is bound, it starts all the same.
 */
export async function startGateway(config: GatewayConfig, adjust?: (container: Container) => void, stopSignal?: AbortSignal): Promise<RunningGateway> {
  let url = '';
  const tracing = await loadTracing(config.tracing.enabled);
  const openRedis = await loadRedisConnection(config.exposure.limits.redis !== undefined);
  const authority = await openAuthority(config, () => `${url}${config.http.registrationPath}`);
  const container = createContainer(config, authority.settings, tracing, openRedis);
  adjust?.(container);
  const logger = container.get(TOKENS.Logger);
  const limits = container.get(TOKENS.Limits);
  const server = container.get(TOKENS.GatewayServer);
  const admin = container.get(TOKENS.AdminServer);
  let adminUrl: string;
  try {
    stoppedYet(stopSignal);
    if (authority.embeddedMockUrl === undefined) {
      await untilStopped(runStartupCheck(config.startupCheck, container.get(TOKENS.RegistrationAuthority), authority.settings, logger, stopSignal), stopSignal);
    }
    // Redis gets a short while to connect, so the first requests are counted where every replica counts them.
    await untilStopped(limits.ready(), stopSignal);
    stoppedYet(stopSignal);
    // The public listener first, so that a HOST or PORT problem is named as such even when ADMIN_HOST follows HOST.
    url = reachableUrl(await server.listen(), config.http.host);
    const adminAddress = await admin.listen().catch(async (error: unknown) => {
      await server.close();
      throw error;
    });
    adminUrl = adminAddress === undefined ? url : reachableUrl(adminAddress, config.admin.host);
  } catch (error) {
    if (error instanceof StoppedDuringStartup) logger.info({ signal: error.signal }, error.message);
    await release(container, authority, tracing, true);
    throw error;
  }

  const registrationUrl = `${url}${config.http.registrationPath}`;
  if (authority.embeddedMockUrl !== undefined) {
    logger.warn(
      { authlete: authority.embeddedMockUrl, mintAccessTokens: `${authority.embeddedMockUrl}/mock/access-tokens` },
      'no Authlete account is configured: the embedded mock Authlete decides registrations and keeps clients in memory only; ' +
        'set AUTHLETE_BASE_URL, AUTHLETE_SERVICE_ID and AUTHLETE_SERVICE_ACCESS_TOKEN for real use',
    );
  }
  const proxy = proxyFor(authority.settings.baseUrl, authority.settings.proxies);
  if (proxy !== undefined && authority.settings.baseUrl.startsWith('http:')) {
    logger.warn({ proxy }, 'AUTHLETE_BASE_URL is plain http and goes through a proxy: the proxy can read the service token; use https');
  }
  const listening: Listening = {
    url,
    adminUrl,
    registrationUrl,
    proxy: proxy ?? 'none',
    tracing: tracing === undefined ? 'off' : 'otlp',
    limitsStore: limits.store,
  };
  logger.info(startupFacts(config, authority.settings, listening), `dcr-gateway listening: register clients at ${registrationUrl}`);
  // Log lines go out in batches; the start-up lines are written at once, for whoever is watching.
  logger.flush();

  return {
    url,
    adminUrl,
    container,
    async stop() {
      logger.info(
        { delayMs: config.http.shutdownDelayMs, graceMs: config.http.shutdownGraceMs },
        'shutting down: readiness 503 now, still answering (with Connection: close) for the delay, then no new connections',
      );
      logger.flush();
      // Readiness turns 503 on the admin listener, which closes only once the public one has drained.
      const result = await server.close();
      await admin.close();
      // Once requests have been cut off, their calls to the authority are abandoned rather than awaited.
      await release(container, authority, tracing, result === 'cut_short');
      if (result === 'cut_short') logger.warn({ graceMs: config.http.shutdownGraceMs }, 'requests still open after the grace period were cut off');
      logger.info({ result }, 'stopped');
      return result;
    },
  };
}
