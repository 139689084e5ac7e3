import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import type { Logger } from '../logging/create-logger';
import type { DrainState } from './drain-state';
import type { GatewayState } from './gateway-state';
import { answerUnparsable } from './unparsable-request';

export interface ListenerSettings {
  readonly port: number;
  readonly host: string | undefined;
}

export interface ServerSettings extends ListenerSettings {
  /** How long requests in flight may take to finish once shutdown begins. */
  readonly shutdownGraceMs: number;
  readonly keepAliveTimeoutMs: number;
}

export type CloseResult = 'drained' | 'cut_short';

export interface ListeningAddresses {
  readonly public: AddressInfo;
  /** undefined when the probes and metrics share the public listener. */
  readonly admin: AddressInfo | undefined;
}

function nodeServer(app: Koa<GatewayState>, keepAliveTimeoutMs: number, logger: Logger): Server {
  // Slow or stalled clients are cut off: a registration is a few kilobytes and needs no minutes.
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: keepAliveTimeoutMs }, app.callback());
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    logger.debug({ code: error.code }, 'unparsable request');
    answerUnparsable(error, socket);
  });
  return server;
}

/** Listening failed on the admin listener: the problem is ADMIN_HOST or ADMIN_PORT, not HOST or PORT. */
export class AdminListenFailed extends Error {
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super('the admin listener could not listen', { cause });
    this.name = 'AdminListenFailed';
    this.code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  }
}

function listen(server: Server, { port, host }: ListenerSettings): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('the server has no TCP address'));
      else resolve(address);
    });
  });
}

function closeAtOnce(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * The node:http servers in front of the Koa apps: the public one for clients, and the admin one for the
 * platform's probes and scrapes (absent when they share the public port), and their orderly shutdown.
 */
export class GatewayServer {
  readonly #public: Server;
  readonly #admin: Server | undefined;

  constructor(
    app: Koa<GatewayState>,
    adminApp: Koa<GatewayState> | undefined,
    private readonly settings: ServerSettings,
    private readonly adminSettings: ListenerSettings,
    private readonly drain: DrainState,
    logger: Logger,
  ) {
    this.#public = nodeServer(app, settings.keepAliveTimeoutMs, logger);
    this.#admin = adminApp === undefined ? undefined : nodeServer(adminApp, settings.keepAliveTimeoutMs, logger);
  }

  /** The public listener first: a HOST or PORT problem is reported as such, even when ADMIN_HOST follows HOST. */
  async listen(): Promise<ListeningAddresses> {
    const addresses = { public: await listen(this.#public, this.settings) };
    if (this.#admin === undefined) return { ...addresses, admin: undefined };
    try {
      return { ...addresses, admin: await listen(this.#admin, this.adminSettings) };
    } catch (error) {
      await closeAtOnce(this.#public);
      throw new AdminListenFailed(error);
    }
  }

  /**
   * Marks the gateway as draining (readiness 503 on the admin port, answers close their connections), stops
   * accepting public connections, lets requests in flight finish, cuts off whatever is still open after the
   * grace period, and only then closes the admin listener, so the platform sees "draining" throughout.
   */
  async close(): Promise<CloseResult> {
    this.drain.begin();
    const result = await this.#drainPublic();
    if (this.#admin !== undefined) await closeAtOnce(this.#admin);
    return result;
  }

  #drainPublic(): Promise<CloseResult> {
    const server = this.#public;
    return new Promise((resolve) => {
      let result: CloseResult = 'drained';
      const cutOff = setTimeout(() => {
        result = 'cut_short';
        server.closeAllConnections();
      }, this.settings.shutdownGraceMs);
      // Keep-alive connections that go idle while draining are closed as they do.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      server.close(() => {
        clearTimeout(cutOff);
        clearInterval(sweep);
        resolve(result);
      });
      server.closeIdleConnections();
    });
  }
}
