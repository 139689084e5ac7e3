import type { Container } from 'inversify';
import type { AddressInfo } from 'node:net';
import { createContainer } from './composition/container';
import { openAuthority } from './composition/open-authority';
import { TOKENS } from './composition/tokens';
import type { GatewayConfig } from './config/gateway-config';

export interface RunningGateway {
  /** Where the gateway can be reached from this machine, e.g. http://localhost:8080. */
  readonly url: string;
  readonly container: Container;
  /** Stops accepting requests, lets the open ones finish, then lets go of the authority. */
  stop(): Promise<void>;
}

const ANY_INTERFACE = new Set(['0.0.0.0', '::', '']);

function reachableUrl(address: AddressInfo, host: string | undefined): string {
  const name = host === undefined || ANY_INTERFACE.has(host) ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${address.port}`;
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
  const server = container.get(TOKENS.GatewayServer);
  try {
    url = reachableUrl(await server.listen(), config.http.host);
  } catch (error) {
    await authority.close();
    throw error;
  }

  const registrationUrl = `${url}${config.http.registrationPath}`;
  if (authority.embeddedMockUrl !== undefined) {
    logger.warn(
      { authlete: authority.embeddedMockUrl },
      'no Authlete account is configured: the embedded mock Authlete decides registrations and keeps clients in memory only; ' +
        'set AUTHLETE_BASE_URL, AUTHLETE_SERVICE_ID and AUTHLETE_SERVICE_ACCESS_TOKEN for real use',
    );
  }
  logger.info(
    { url, registrationUrl, authlete: authority.settings.baseUrl },
    `dcr-gateway listening: register clients at ${registrationUrl}`,
  );

  return {
    url,
    container,
    async stop() {
      await server.close();
      await container.get(TOKENS.AuthleteDispatcher).close();
      await authority.close();
    },
  };
}
