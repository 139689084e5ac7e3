import type { Container } from 'inversify';
import { TOKENS } from './composition/tokens';

export interface RunningGateway {
  /** Where the gateway listens, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** Stops accepting requests, lets the open ones finish, then releases the connections to the authority. */
  stop(): Promise<void>;
}

/** Starts the HTTP server of a composed gateway. */
export async function startGateway(container: Container): Promise<RunningGateway> {
  const server = container.get(TOKENS.GatewayServer);
  const logger = container.get(TOKENS.Logger);
  const config = container.get(TOKENS.Config);
  const address = await server.listen();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url, registrationPath: config.http.registrationPath, authlete: config.authlete.baseUrl }, 'dcr-gateway listening');
  return {
    url,
    async stop() {
      await server.close();
      await container.get(TOKENS.AuthleteDispatcher).close();
    },
  };
}
