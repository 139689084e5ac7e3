import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback.mts';

export interface Answer {
  readonly status: number;
  readonly body: string | Buffer;
  /** application/json unless given. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

/** How the fake answers the calls that arrive from now on, until told otherwise. */
export type Script =
  | ({ readonly kind: 'answer' } & Answer)
  /** No answer until the test calls release(): an Authlete that is silent, or slow by exactly as much as the test wants. */
  | { readonly kind: 'hold' }
  /** A head that promises more body than is sent, then the end of the connection. */
  | { readonly kind: 'truncated'; readonly body: string; readonly declaredLength: number }
  /** A head and the start of a body, then the connection is destroyed. */
  | { readonly kind: 'cut_after_headers' };

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Which TCP connection carried the call, numbered from 1. */
  readonly connection: number;
}

export interface ScriptedAuthlete {
  readonly url: string;
  /** Every call whose body has arrived, in order (empty when started with `record: false`). */
  readonly calls: Call[];
  /** How many calls have arrived, recorded or not. */
  count(): number;
  /** How many TCP connections were opened to it, whether a whole call arrived on them or not. */
  connections(): number;
  behave(script: Script): void;
  /** Resolves once `count` calls have arrived in all. */
  waitForCalls(count: number): Promise<void>;
  /** Answers every held call with `answer`, late; a caller that gave up has closed its connection and hears nothing. */
  release(answer: Answer): void;
  close(): Promise<void>;
}

/** The head of a 200 that promises `length` bytes of JSON, written straight to the socket. */
function head(length: number): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
}

function write(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  const length = Buffer.byteLength(answer.body);
  res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json', 'Content-Length': length, ...answer.headers });
  res.end(answer.body);
}

/**
 * The one fake Authlete on the wire: each call is answered as the test scripted it, faults included (the raw
 * socket is used where HTTP must be broken), and written down. `record: false` keeps nothing but the count, for a
 * fake that answers millions of calls in a benchmark.
 */
export async function startScriptedAuthlete(initial: Script, { record = true } = {}): Promise<ScriptedAuthlete> {
  let script = initial;
  let count = 0;
  let connections = 0;
  const calls: Call[] = [];
  const held = new Set<ServerResponse>();
  const waiting = new Set<{ readonly count: number; readonly arrived: () => void }>();
  const connectionIds = new WeakMap<object, number>();

  function answer(res: ServerResponse): void {
    const current = script;
    switch (current.kind) {
      case 'answer':
        return write(res, current);
      case 'hold':
        held.add(res);
        res.once('close', () => held.delete(res));
        return;
      case 'truncated':
        res.socket?.end(head(current.declaredLength) + current.body);
        return;
      case 'cut_after_headers':
        res.socket?.write(head(500) + '{"action":"UPD');
        res.socket?.destroy();
        return;
    }
  }

  function arrived(): void {
    count += 1;
    for (const waiter of waiting) {
      if (count >= waiter.count) {
        waiting.delete(waiter);
        waiter.arrived();
      }
    }
  }

  const server = createServer((req, res) => {
    if (!record) {
      req.resume();
      req.once('end', () => {
        arrived();
        answer(res);
      });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      calls.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        connection: connectionIds.get(req.socket) ?? 0,
      });
      arrived();
      answer(res);
    });
  });
  server.on('connection', (socket) => connectionIds.set(socket, ++connections));
  // Longer than any test or benchmark round: the fake never closes a connection its caller is about to reuse.
  server.keepAliveTimeout = 60_000;
  const listening = await listenOnLoopback(server);

  return {
    url: listening.url,
    calls,
    count: () => count,
    connections: () => connections,
    behave: (next) => {
      script = next;
    },
    waitForCalls: (wanted) =>
      count >= wanted ? Promise.resolve() : new Promise((resolve) => waiting.add({ count: wanted, arrived: resolve })),
    release: (late) => {
      for (const res of held) write(res, late);
      held.clear();
    },
    close: () => listening.close(),
  };
}

/** A decision Authlete might send for an update. */
export function updatedAnswer(content = '{"client_id":"42","client_name":"ok"}'): Answer {
  return { status: 200, body: JSON.stringify({ resultCode: 'A213001', resultMessage: 'updated', action: 'UPDATED', responseContent: content }) };
}
