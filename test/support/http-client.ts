import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface SentRequest {
  readonly method: string;
  /** Header pairs, in order; a name may repeat. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string | Buffer;
  /** Fails the request when no answer has come within this long, instead of waiting for ever. */
  readonly timeoutMs?: number;
}

export interface ReceivedResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * Plain node:http, so a test can send what fetch would tidy away: repeated headers, odd paths, any body.
 */
export function send(url: string, sent: SentRequest): Promise<ReceivedResponse> {
  return new Promise((resolve, reject) => {
    // A name given twice is sent as two header lines (node:http does that for an array value).
    const headers: Record<string, string[]> = {};
    for (const [name, value] of sent.headers ?? []) (headers[name.toLowerCase()] ??= []).push(value);
    if (sent.body !== undefined) headers['content-length'] = [String(Buffer.byteLength(sent.body))];
    // The path goes out exactly as written: a URL object would resolve '..' and '%2E%2E' before sending.
    const { hostname, port, origin } = new URL(url);
    const path = url.slice(origin.length) || '/';
    const req = request({ host: hostname, port, path, method: sent.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const { timeoutMs } = sent;
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error(`${sent.method} ${path}: no answer within ${timeoutMs} ms`)));
    req.end(sent.body);
  });
}

export function jsonBody(response: ReceivedResponse): unknown {
  return JSON.parse(response.body);
}

/**
 * Writes `text` as it is on a new connection and never ends it, as a client still sending would; resolves with
 * what comes back once it ends in a JSON body's closing brace.
 */
export function answerToPartialRequest(url: string, text: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      if (answer.endsWith('}')) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', reject);
  });
}

/**
 * Writes `head` on a new connection, then goes on sending 64 KiB every 50 ms for as long as the connection is open,
 * as a client with a huge body would; resolves with what came back and how long after the head the gateway closed
 * the connection (Infinity when it was still open after 8 s).
 */
export async function sendWithoutEnd(url: string, head: string): Promise<{ answer: string; lastedMs: number }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  const sentAt = performance.now();
  socket.write(head);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = setInterval(() => socket.writable && socket.write(chunk), 50);
  const lastedMs = await Promise.race([closed.then((at) => at - sentAt), new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 8_000))]);
  clearInterval(pump);
  socket.destroy();
  return { answer, lastedMs };
}

/** A raw connection that has sent `head`, to be written to and read from at the test's own pace. */
export interface RawExchange {
  readonly socket: Socket;
  /** Resolves with everything received so far once it matches `what`. */
  received(what: RegExp): Promise<string>;
}

/** `from` is the local address to connect from (any 127.x.y.z reaches a loopback listener on Linux): another client. */
export function rawExchange(url: string, head: string, from?: string): RawExchange {
  const { port } = new URL(url);
  const socket = connect({ port: Number(port), host: '127.0.0.1', ...(from !== undefined && { localAddress: from }) }, () => socket.write(head));
  let text = '';
  // Each waiter checks again on every chunk until its pattern matches; several may wait at once.
  const waiting = new Set<() => boolean>();
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const matched of waiting) if (matched()) waiting.delete(matched);
  });
  socket.on('error', () => undefined);
  const received = (what: RegExp): Promise<string> =>
    new Promise((resolve) => {
      const matched = (): boolean => {
        if (!what.test(text)) return false;
        resolve(text);
        return true;
      };
      if (!matched()) waiting.add(matched);
    });
  return { socket, received };
}
