import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import type { Server as HttpServer } from 'node:http';

export interface Listening {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops every connection, kept alive or half-way through a request. */
  close(): Promise<void>;
}

/** Starts `server` on an ephemeral port of 127.0.0.1; test traffic never leaves this machine. */
export function listenOnLoopback(server: HttpServer | TcpServer): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (for a program that must be given its port). */
export async function freePort(): Promise<number> {
  const probe = await listenOnLoopback(createTcpServer());
  await probe.close();
  return probe.port;
}
