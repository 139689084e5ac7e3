import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback.mts';

export interface ProxiedTunnel {
  /** The CONNECT request's target, `host:port`. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  /** Every byte the client sent through the tunnel: for https, the TLS records and nothing readable. */
  readonly sent: Buffer[];
}

export interface ConnectProxy {
  readonly url: string;
  readonly tunnels: ProxiedTunnel[];
  /** Requests sent to the proxy as plain HTTP (absolute-form) instead of through a tunnel. */
  readonly plainRequests: Array<{ readonly url: string; readonly headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** An egress proxy as corporate networks have them: CONNECT tunnels only, each written down with what went through it. */
export function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: ProxiedTunnel[] = [];
  const plainRequests: ConnectProxy['plainRequests'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    plainRequests.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(405, { Connection: 'close' }).end();
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const tunnel: ProxiedTunnel = { target: req.url ?? '', headers: req.headers, sent: [head] };
    tunnels.push(tunnel);
    const [host, port] = [tunnel.target.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(tunnel.target)?.[1] ?? 443)];
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      client.on('data', (chunk: Buffer) => tunnel.sent.push(chunk));
      client.pipe(upstream).pipe(client);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  return listenOnLoopback(server).then((listening) => ({
    url: listening.url,
    tunnels,
    plainRequests,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return listening.close();
    },
  }));
}
