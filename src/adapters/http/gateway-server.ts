import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type Koa from 'koa';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { DrainState } from './drain-state';
import type { GatewayState } from './gateway-state';
import { ConnectionCap } from './connection-cap';
import { ConnectionCapPerAddress } from './connection-cap-per-address';
import { answerConnect, answerUnparsable, ConnectionExchanges } from './unparsable-request';

export interface ServerSettings {
  readonly port: number;
  readonly host: string | undefined;
  /** How long requests in flight may take to finish once the gateway stops accepting. */
  readonly shutdownGraceMs: number;
  /** How long after the stop signal the gateway still accepts and answers, readiness already 503. */
  readonly shutdownDelayMs: number;
  /** Concurrent client connections at most. */
  readonly maxConnections: number;
  /** Concurrent connections at most from one client address; undefined for no such cap. */
  readonly maxConnectionsPerAddress: number | undefined;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
}

export type CloseResult = 'drained' | 'cut_short';

/** The documented limits on slow clients (the README's error table states them). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * Node checks the header and request timeouts only on this tick (30 s by default, which made "10 s" anything
 * up to 40 s); once a second keeps them within a second of their values.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** While stopping, keep-alive connections that go idle are closed this often. */
const IDLE_SWEEP_MS = 250;
/** Connections refused for their address are logged at most this often, with how many since the last line. */
const PER_ADDRESS_LOG_MS = 60_000;

/**
 * The node:http server in front of the Koa app: limits on slow clients and on connections, answers to what
 * cannot be parsed, and the orderly shutdown.
 */
export class GatewayServer {
  readonly #server: Server;
  /** Every client connection that still holds a descriptor, within MAX_CONNECTIONS. */
  readonly #connections: ConnectionCap;

  constructor(
    app: Koa<GatewayState>,
    private readonly settings: ServerSettings,
    private readonly drain: DrainState,
    private readonly logger: Logger,
    metrics: GatewayMetrics,
  ) {
    const connections = new ConnectionCap(
      settings.maxConnections,
      {
        reached: () =>
          logger.warn(
            { maxConnections: settings.maxConnections },
            'connection limit reached (MAX_CONNECTIONS): the oldest connections yet to send a request are closed to make room, ' +
              'then idle kept-alive ones; when every connection is in the middle of a request, new connections are closed on arrival',
          ),
        calm: (evicted, dropped) => logger.info({ evicted, dropped }, 'connections are below the limit again'),
        evicted: () => metrics.countEvictedConnection('public'),
        dropped: () => metrics.countDroppedConnection('public'),
      },
      () => this.#server.closeIdleConnections(),
    );
    this.#connections = connections;
    const callback: (req: IncomingMessage, res: ServerResponse) => void = app.callback();
    // A connection is proven by its first request head; for a kept-alive connection's later requests this is a
    // lookup that finds nothing.
    const exchanges = new ConnectionExchanges();
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      connections.proven(req.socket);
      exchanges.read(req.socket, res);
      callback(req, res);
    };
    this.#server = createServer(
      {
        requestTimeout: REQUEST_TIMEOUT_MS,
        headersTimeout: HEADERS_TIMEOUT_MS,
        keepAliveTimeout: settings.keepAliveTimeoutMs,
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
        // A missing Host is answered by the app, in the gateway's JSON, rather than by Node's bare 400.
        requireHostHeader: false,
      },
      handle,
    );
    // `Expect` is answered by the app too: 100 Continue only once the checks that need no body have passed,
    // and an unknown expectation with the gateway's JSON 417.
    this.#server.on('checkContinue', handle);
    this.#server.on('checkExpectation', handle);
    metrics.watchOpenConnections('public', () => this.openConnections());
    const perAddress = this.#perAddressCap(metrics);
    this.#server.on(
      'connection',
      perAddress === undefined
        ? (socket: Socket) => connections.admit(socket)
        : (socket: Socket) => {
            if (perAddress.admit(socket)) connections.admit(socket);
          },
    );
    this.#server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
      this.logger.debug('CONNECT refused');
      answerConnect(socket);
    });
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      this.logger.debug({ code: error.code }, 'unparsable request');
      answerUnparsable(error, socket, exchanges.of(socket));
    });
  }

  /**
   * MAX_CONNECTIONS_PER_IP, when set. Each refusal is counted; the first is logged at warn, then at most one line a
   * minute with the count since the one before and the address refused as it is written: an address over its cap
   * reconnects as fast as it can.
   */
  #perAddressCap(metrics: GatewayMetrics): ConnectionCapPerAddress | undefined {
    const max = this.settings.maxConnectionsPerAddress;
    if (max === undefined) return undefined;
    let loggedAt = Number.NEGATIVE_INFINITY;
    let unlogged = 0;
    return new ConnectionCapPerAddress(max, (address) => {
      metrics.countConnectionRefusedForAddress();
      unlogged++;
      const now = performance.now();
      if (now - loggedAt < PER_ADDRESS_LOG_MS) return;
      this.logger.warn(
        { maxConnectionsPerIp: max, refused: unlogged, clientIp: address },
        'connections refused on arrival: their client address already had MAX_CONNECTIONS_PER_IP open',
      );
      loggedAt = now;
      unlogged = 0;
    });
  }

  /** Where the server listens, once it does. */
  address(): AddressInfo | undefined {
    const address = this.#server.address();
    return address === null || typeof address === 'string' ? undefined : address;
  }

  /** Client connections open now. */
  openConnections(): Promise<number> {
    return Promise.resolve(this.#connections.size);
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
   * Marks the gateway as draining (readiness 503 at once, every answer with `Connection: close`), keeps accepting
   * and answering for the shutdown delay so load balancers see the readiness change before connections are
   * refused, then stops accepting, lets requests in flight finish, and cuts off what is still open after the
   * grace period. A keep-alive connection is closed only while Node sees it between requests, and since every
   * answer of the delay carried `Connection: close`, the ones left idle are those no client used for the whole
   * delay.
   */
  async close(): Promise<CloseResult> {
    this.drain.begin();
    if (this.settings.shutdownDelayMs > 0) await delay(this.settings.shutdownDelayMs);
    return new Promise((resolve) => {
      let result: CloseResult = 'drained';
      const cutOff = setTimeout(() => {
        result = 'cut_short';
        this.drain.cutOffNow();
        this.#server.closeAllConnections();
      }, this.settings.shutdownGraceMs);
      const sweep = setInterval(() => this.#server.closeIdleConnections(), IDLE_SWEEP_MS);
      // close() stops accepting and closes the connections idle right now.
      this.#server.close(() => {
        clearTimeout(cutOff);
        clearInterval(sweep);
        resolve(result);
      });
    });
  }
}
