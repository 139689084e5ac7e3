import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** How the fake Authlete misbehaves on the next connections, until told otherwise. */
export type Fault =
  | { readonly kind: 'answer'; readonly status: number; readonly body: string; readonly contentType?: string; readonly headers?: Readonly<Record<string, string>> }
  /** Refuses the call with 400, quoting the whole request it received (headers and body) in resultMessage. */
  | { readonly kind: 'echo' }
  | { readonly kind: 'silent' }
  | { readonly kind: 'slow'; readonly afterMs: number; readonly status: number; readonly body: string }
  | { readonly kind: 'truncated'; readonly body: string; readonly declaredLength: number }
  | { readonly kind: 'cut_after_headers' };

export interface FaultyAuthlete {
  readonly url: string;
  /** Requests that reached the fake (a request line arrived), counted across connections. */
  readonly requests: () => number;
  /** TCP connections the fake accepted, open or closed. */
  readonly connections: () => number;
  behave(fault: Fault): void;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function head(status: number, contentType: string, length: number, extra: Readonly<Record<string, string>> = {}): string {
  const lines = Object.entries(extra).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n${lines}\r\n`;
}

/**
 * A fake Authlete written against raw sockets, so it can misbehave in ways an HTTP server library would not
 * allow: never answer, answer late, promise more body than it sends, or hang up half-way.
 */
export function startFaultyAuthlete(initial: Fault): Promise<FaultyAuthlete> {
  let fault = initial;
  let requests = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  function respond(socket: Socket, request: string): void {
    requests += 1;
    const current = fault;
    switch (current.kind) {
      case 'answer':
        socket.write(head(current.status, current.contentType ?? 'application/json', Buffer.byteLength(current.body), current.headers) + current.body);
        return;
      case 'echo': {
        const body = JSON.stringify({ resultCode: 'A001201', resultMessage: `cannot handle: ${request}` });
        socket.write(head(400, 'application/json', Buffer.byteLength(body)) + body);
        return;
      }
      case 'silent':
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!socket.destroyed) socket.write(head(current.status, 'application/json', Buffer.byteLength(current.body)) + current.body);
        }, current.afterMs);
        timers.add(timer);
        return;
      }
      case 'truncated':
        socket.end(head(200, 'application/json', current.declaredLength) + current.body);
        return;
      case 'cut_after_headers':
        socket.write(head(200, 'application/json', 500) + '{"action":"UPD');
        socket.destroy();
        return;
    }
  }

  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      // A request is complete once its headers and its Content-Length worth of body have arrived.
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const request = buffered.slice(0, end + 4 + length);
        buffered = buffered.slice(end + 4 + length);
        respond(socket, request);
      }
    });
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests: () => requests,
        connections: () => connections,
        behave: (next) => {
          fault = next;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const timer of timers) clearTimeout(timer);
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A decision Authlete might send for an update. */
export function updatedAnswer(content = '{"client_id":"42","client_name":"ok"}'): string {
  return JSON.stringify({ resultCode: 'A213001', resultMessage: 'updated', action: 'UPDATED', responseContent: content });
}
