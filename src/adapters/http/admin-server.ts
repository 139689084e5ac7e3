import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import { ConnectionCap } from './connection-cap';
import type { GatewayState } from './gateway-state';
import { answerConnect, answerUnparsable, ConnectionExchanges } from './unparsable-request';

export interface AdminListenerSettings {
  readonly port: number;
  readonly host: string | undefined;
}

/**
 * Connections the admin listener holds at most. Probes and scrapes open a few at a time; without a cap, idle
 * connections to a port every pod in a cluster can reach took every descriptor, and the public listener with them
 * (1,000 of them under a limit of 1,024: both ports silent).
 */
export const ADMIN_MAX_CONNECTIONS = 64;

/** Listening failed on the admin listener: the problem is ADMIN_HOST or ADMIN_PORT, not HOST or PORT. */
export class AdminListenFailed extends Error {
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super('the admin listener could not listen', { cause });
    this.name = 'AdminListenFailed';
    this.code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  }
}

/**
 * The listener for the platform's probes and scrapes, apart from the public one. It opens after the public
 * listener and closes after it has drained, so readiness answers 503 for as long as requests are finishing.
 * Without an app (ADMIN_PORT equal to PORT: the probes are on the public listener) it does nothing.
 */
export class AdminServer {
  readonly #server: Server | undefined;

  constructor(
    app: Koa<GatewayState> | undefined,
    private readonly settings: AdminListenerSettings,
    logger: Logger,
    metrics: GatewayMetrics,
  ) {
    if (app === undefined) return;
    const connections = new ConnectionCap(
      ADMIN_MAX_CONNECTIONS,
      {
        reached: () =>
          logger.warn(
            { listener: 'admin', maxConnections: ADMIN_MAX_CONNECTIONS },
            'admin listener connection limit reached: the oldest connections yet to send a request are closed to make room, then idle kept-alive ones',
          ),
        calm: (evicted, dropped) => logger.info({ listener: 'admin', evicted, dropped }, 'admin listener connections are below the limit again'),
        evicted: () => metrics.countEvictedConnection('admin'),
        dropped: () => metrics.countDroppedConnection('admin'),
      },
      () => this.#server?.closeIdleConnections(),
    );
    const callback: (req: IncomingMessage, res: ServerResponse) => void = app.callback();
    // A probe is a few bytes: slow senders get no more time here than on the public listener, and the timeouts are
    // checked each second (Node's default, 30 s, let an idle connection stay up to 40 s).
    const exchanges = new ConnectionExchanges();
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      connections.proven(req.socket);
      exchanges.read(req.socket, res);
      callback(req, res);
    };
    // What the public listener answers in the gateway's JSON, this one does too (a missing Host, an unknown
    // expectation, CONNECT), rather than with Node's bare status lines or a connection closed without a word.
    this.#server = createServer(
      { requestTimeout: 30_000, headersTimeout: 10_000, connectionsCheckingInterval: 1_000, requireHostHeader: false },
      handle,
    );
    this.#server.on('checkExpectation', handle);
    this.#server.on('connect', (_req: IncomingMessage, socket: Duplex) => answerConnect(socket));
    this.#server.on('connection', (socket: Socket) => connections.admit(socket));
    metrics.watchOpenConnections('admin', () => connections.size);
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      logger.debug({ code: error.code, listener: 'admin' }, 'unparsable request');
      answerUnparsable(error, socket, exchanges.of(socket));
    });
  }

  /** Where it listens; undefined when the probes share the public listener. */
  listen(): Promise<AddressInfo | undefined> {
    const server = this.#server;
    if (server === undefined) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const failed = (error: unknown): void => reject(new AdminListenFailed(error));
      server.once('error', failed);
      server.listen(this.settings.port, this.settings.host, () => {
        server.off('error', failed);
        const address = server.address();
        if (address === null || typeof address === 'string') reject(new Error('the admin server has no TCP address'));
        else resolve(address);
      });
    });
  }

  /** Closes at once: probes and scrapes are short, and the platform retries them elsewhere. */
  close(): Promise<void> {
    const server = this.#server;
    if (server === undefined || !server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
