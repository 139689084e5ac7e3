import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import type { Logger } from '../logging/create-logger';
import type { GatewayState } from './gateway-state';

export interface ListenSettings {
  readonly port: number;
  readonly host: string | undefined;
}

const PARSE_FAILURES: Readonly<Record<string, readonly [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request line and headers are larger than this server accepts.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request did not arrive in time.'],
};
const MALFORMED: readonly [number, string, string] = [400, 'Bad Request', 'The request is not well-formed HTTP.'];

/**
 * Node answers requests it cannot parse with a bare status line; these get the gateway's JSON error shape too.
 * Written straight to the socket, because no request object exists to answer through.
 */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, reason, description] = PARSE_FAILURES[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: 'invalid_request', error_description: description });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nPragma: no-cache\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The node:http server in front of the Koa app. */
export class GatewayServer {
  readonly #server: Server;

  constructor(
    app: Koa<GatewayState>,
    private readonly settings: ListenSettings,
    private readonly logger: Logger,
  ) {
    this.#server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, app.callback());
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

  /** Stops accepting connections and resolves once every open one has closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }
}
