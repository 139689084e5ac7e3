import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpReply } from './http-reply';
import { endAndDestroy } from './end-and-destroy';
import { REPLIES } from './replies';

/** What Node's parser gives up on, by its error code; anything else is answered as malformed. */
const BY_CODE: Readonly<Record<string, HttpReply>> = {
  HPE_HEADER_OVERFLOW: REPLIES.headersTooLarge,
  ERR_HTTP_REQUEST_TIMEOUT: REPLIES.requestTimedOut,
};

// method SP request-target SP HTTP-version (RFC 9112 section 3), the method a token.
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ [!-~]+ HTTP\/\d\.\d\r?\n/;

/**
 * A well-formed request line whose method Node's parser does not know (FOO, a lower-case get) gets the 501 of any
 * method the gateway does not implement, as those the parser takes (PROPFIND) do; other bytes the parser calls an
 * invalid method (a TLS handshake on the plain port, text that is no request) are malformed HTTP.
 */
function replyTo(error: NodeJS.ErrnoException): HttpReply {
  if (error.code === 'HPE_INVALID_METHOD') {
    const raw = 'rawPacket' in error && Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined;
    return raw !== undefined && REQUEST_LINE.test(raw.toString('latin1', 0, 8192)) ? REPLIES.methodNotImplemented : REPLIES.malformedHttp;
  }
  return BY_CODE[error.code ?? ''] ?? REPLIES.malformedHttp;
}

/**
 * The answers of the requests read on each connection, oldest first, from the oldest not yet finished (answers
 * finish in request order), so that a parse error can tell what it follows: answers still owed, or a body whose
 * answer was perhaps already given. No listener per request: finished ones are dropped when the next is read.
 */
export class ConnectionExchanges {
  readonly #bySocket = new WeakMap<Duplex, ServerResponse[]>();

  read(socket: Duplex, res: ServerResponse): void {
    const answers = this.#bySocket.get(socket);
    if (answers === undefined) {
      this.#bySocket.set(socket, [res]);
      return;
    }
    while (answers[0]?.writableFinished === true) answers.shift();
    answers.push(res);
  }

  of(socket: Duplex): readonly ServerResponse[] {
    return this.#bySocket.get(socket) ?? [];
  }
}

/** Connections closed after their owed answers because the parser gave up on them. */
const closingOnMalformedBytes = new WeakSet<Duplex>();

/** Whether the gateway, not the client, ended this connection: the parser gave up on what followed the answers owed. */
export function closedOnMalformedBytes(socket: Duplex): boolean {
  return closingOnMalformedBytes.has(socket);
}

/**
 * Node answers requests it cannot parse with a bare status line; these get the gateway's JSON error shape too.
 * Written straight to the socket, because no request object exists to answer through. `exchanges` are the
 * connection's (see ConnectionExchanges): an answer still owed is never replaced.
 */
export function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex, exchanges: readonly ServerResponse[]): void {
  // Bytes after a request that asked to close the connection (RFC 9112 section 9.6): they are ignored, and the
  // answer to that request, still on its way, closes the connection. A 400 written now would take its place.
  if (error.code === 'HPE_CLOSED_CONNECTION') return;
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  // Already closing after its answers: the parser reports the same error for each later chunk, and at the
  // client's end of sending, which is then a hang-up, as Node takes one on any connection (no half-open).
  if (closingOnMalformedBytes.has(socket)) {
    if (socket.readableEnded) socket.destroy();
    return;
  }
  const last = exchanges.at(-1);
  const owed = exchanges.filter((res) => !res.writableFinished);
  if (last !== undefined && !last.req.complete) {
    // Inside the body of a request already answered (a bad chunk in a body being dropped): a second answer to it
    // would be read as the answer to the client's next request.
    if (last.writableFinished) return void socket.destroy();
    // Inside the body of a request pipelined behind others still being answered: theirs go out first, in request
    // order (RFC 9112 section 9.3.2), then the connection closes; this one, unreadable, gets none.
    const before = owed.filter((res) => res !== last).at(-1);
    if (before !== undefined) return closeAfter(before, socket);
  } else if (last !== undefined && !last.writableFinished) {
    // Junk after whole requests whose answers are still owed (a Content-Length one byte short, a sloppy pipeline):
    // they go out, the last saying it closes the connection, with no 400 in their place; a client registered
    // meanwhile would otherwise be one its client never heard of.
    return closeAfter(last, socket);
  }
  writeAndClose(socket, replyTo(error));
}

/**
 * The answer says it closes the connection, if its head is not yet sent, and the connection closes after it.
 * Reading goes on, so that a client hanging up meanwhile is still seen (a registration nobody will receive is
 * logged as such); what is read only meets the parser's error again.
 */
function closeAfter(res: ServerResponse, socket: Duplex): void {
  closingOnMalformedBytes.add(socket);
  if (!res.headersSent) res.shouldKeepAlive = false;
  res.once('close', () => socket.destroy());
}

/**
 * CONNECT (a tunnel through a proxy) is handed by Node to its own event and, unheard, the connection was closed with
 * no answer at all; it gets the JSON 501 any method this server does not implement gets.
 */
export function answerConnect(socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  writeAndClose(socket, REPLIES.methodNotImplemented);
}

/** One of the gateway's replies, written straight to the socket, which is then closed. */
function writeAndClose(socket: Duplex, { status, json = '' }: HttpReply): void {
  // A peer that never closes its side would otherwise keep the descriptor forever.
  endAndDestroy(
    socket,
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
      `Cache-Control: no-store\r\nPragma: no-cache\r\nConnection: close\r\n\r\n${json}`,
  );
}
