import type { Container } from 'inversify';
import type { LimitRule } from './domain/limits';
import type { AddressInfo } from 'node:net';
import { createContainer } from './composition/container';
import { openAuthority } from './composition/open-authority';
import { TOKENS } from './composition/tokens';
import type { CloseResult } from './adapters/http/gateway-server';
import type { AuthleteSettings, GatewayConfig } from './config/gateway-config';
import { readServicePackage } from './service-package';

export interface RunningGateway {
  /** Where the gateway can be reached from this machine, e.g. http://localhost:8080. */
  readonly url: string;
  readonly container: Container;
  /** Stops accepting requests, lets the open ones finish (within the grace period), then lets go of the authority. */
  stop(): Promise<CloseResult>;
}

const ANY_INTERFACE = new Set(['0.0.0.0', '::', '']);

function reachableUrl(address: AddressInfo, host: string | undefined): string {
  const name = host === undefined || ANY_INTERFACE.has(host) ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${address.port}`;
}

/**
 * What an operator checks first when the service comes up: which build on which Node.js, which Authlete service
 * in which API version (its ID, or v2's API key, is no secret; the token or API secret stays out), the limits of
 * the calls to it, and where clients register.
 */
function startupFacts(config: GatewayConfig, authlete: AuthleteSettings, url: string, registrationUrl: string, limitsStore: string) {
  return {
    version: readServicePackage().version,
    node: process.versions.node,
    url,
    registrationUrl,
    authlete: {
      apiVersion: authlete.apiVersion,
      baseUrl: authlete.baseUrl,
      ...(authlete.apiVersion === 'v2' ? { serviceApiKey: authlete.serviceApiKey } : { serviceId: authlete.serviceId }),
      timeoutMs: authlete.timeoutMs,
      maxConnections: authlete.maxConnections,
    },
    keepAliveTimeoutMs: config.http.keepAliveTimeoutMs,
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
 * Starts a gateway: its authority (Authlete, or the embedded mock), the composed adapters, the HTTP server.
 * `adjust` sees the container before anything is resolved from it: a test swaps an adapter there.
 */
export async function startGateway(config: GatewayConfig, adjust?: (container: Container) => void): Promise<RunningGateway> {
  let url = '';
  const authority = await openAuthority(config, () => `${url}${config.http.registrationPath}`);
  const container = createContainer(config, authority.settings);
  adjust?.(container);
  const logger = container.get(TOKENS.Logger);
  const limits = container.get(TOKENS.Limits);
  const audit = container.get(TOKENS.AuditTrail);
  const server = container.get(TOKENS.GatewayServer);
  try {
    // Redis gets a short while to connect, so the first requests are counted where every replica counts them.
    await limits.ready();
    url = reachableUrl(await server.listen(), config.http.host);
  } catch (error) {
    await limits.close();
    audit.close();
    await authority.close();
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
  logger.info(startupFacts(config, authority.settings, url, registrationUrl, limits.store), `dcr-gateway listening: register clients at ${registrationUrl}`);
  // Log lines go out in batches; the start-up lines are written at once, for whoever is watching.
  logger.flush();

  return {
    url,
    container,
    async stop() {
      logger.info(
        { delayMs: config.http.shutdownDelayMs, graceMs: config.http.shutdownGraceMs },
        'shutting down: readiness 503 now, still answering (with Connection: close) for the delay, then no new connections',
      );
      logger.flush();
      const result = await server.close();
      // Once requests have been cut off, their calls to the authority are abandoned rather than awaited.
      const dispatcher = container.get(TOKENS.AuthleteDispatcher);
      await (result === 'drained' ? dispatcher.close() : dispatcher.destroy());
      await authority.close();
      await limits.close();
      audit.close();
      if (result === 'cut_short') logger.warn({ graceMs: config.http.shutdownGraceMs }, 'requests still open after the grace period were cut off');
      logger.info({ result }, 'stopped');
      return result;
    },
  };
}
