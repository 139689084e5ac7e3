import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import type { Logger } from '../logging/create-logger';
import type { DrainState } from './drain-state';
import type { GatewayState } from './gateway-state';
import { answerUnparsable } from './unparsable-request';

export interface ServerSettings {
  readonly port: number;
  readonly host: string | undefined;
  /** How long requests in flight may take to finish once shutdown begins. */
  readonly shutdownGraceMs: number;
  readonly keepAliveTimeoutMs: number;
}

export type CloseResult = 'drained' | 'cut_short';

/** The node:http server in front of the Koa app, and its orderly shutdown. */
export class GatewayServer {
  readonly #server: Server;

  constructor(
    app: Koa<GatewayState>,
    private readonly settings: ServerSettings,
    private readonly drain: DrainState,
    private readonly logger: Logger,
  ) {
    // Slow or stalled clients are cut off: a registration is a few kilobytes and needs no minutes.
    this.#server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: this.settings.keepAliveTimeoutMs }, app.callback());
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      this.logger.debug({ code: error.code }, 'unparsable request');
      answerUnparsable(error, socket);
    });
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.settings.port, this.settings.host, () => {
        this.#server.off('error', reject);
        const address = this.#server.address();
        if (address === null || typeof address === 'string') reject(new Error('the server has no TCP address'));
        else resolve(address);
      });
    });
  }

  /**
   * Stops accepting connections, marks the gateway as draining (readiness 503, answers close their
   * connections), lets requests in flight finish, and cuts off whatever is still open after the grace period.
   */
  close(): Promise<CloseResult> {
    this.drain.begin();
    return new Promise((resolve) => {
      let result: CloseResult = 'drained';
      const cutOff = setTimeout(() => {
        result = 'cut_short';
        this.#server.closeAllConnections();
      }, this.settings.shutdownGraceMs);
      // Keep-alive connections that go idle while draining are closed as they do.
      const sweep = setInterval(() => this.#server.closeIdleConnections(), 100);
      this.#server.close(() => {
        clearTimeout(cutOff);
        clearInterval(sweep);
        resolve(result);
      });
      this.#server.closeIdleConnections();
    });
  }
}
