import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Echoed {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Which TCP connection carried the request, numbered from 1. */
  readonly connection: number;
}

export interface EchoServer {
  readonly url: string;
  readonly seen: Echoed[];
  close(): Promise<void>;
}

/** A loopback server that answers every request with a description of that request, as JSON. */
export function startEchoServer(): Promise<EchoServer> {
  const seen: Echoed[] = [];
  let connections = 0;
  const ids = new WeakMap<object, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const echoed: Echoed = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        connection: ids.get(req.socket) ?? 0,
      };
      seen.push(echoed);
      const body = JSON.stringify(echoed);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Echo': ['a', 'b'] });
      res.end(body);
    });
  });
  server.on('connection', (socket) => ids.set(socket, ++connections));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
