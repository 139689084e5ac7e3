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
 * The last request read on each connection, by its answer, so that a parse error can tell whether it came
 * after that request (its answer still owed) or inside its body (its answer perhaps already given).
 */
export class LastExchanges {
  readonly #bySocket = new WeakMap<Duplex, ServerResponse>();

  read(socket: Duplex, res: ServerResponse): void {
    this.#bySocket.set(socket, res);
  }

  of(socket: Duplex): ServerResponse | undefined {
    return this.#bySocket.get(socket);
  }
}

/**
 * Node answers requests it cannot parse with a bare status line; these get the gateway's JSON error shape too.
 * Written straight to the socket, because no request object exists to answer through.
 */
export function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex, last: ServerResponse | undefined): void {
  // Bytes after a request that asked to close the connection (RFC 9112 section 9.6): they are ignored, and the
  // answer to that request, still on its way, closes the connection. A 400 written now would take its place.
  if (error.code === 'HPE_CLOSED_CONNECTION') return;
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  if (last !== undefined && last.req.complete) {
    // Junk after a whole request whose answer is still owed (a Content-Length one byte short, a sloppy pipeline):
    // answers go in request order (RFC 9112 section 9.3.2), so that answer goes out, then the connection closes,
    // with no 400 in its place; a client registered meanwhile would otherwise be one its client never heard of.
    if (!last.writableFinished) return closeAfter(last, socket);
  } else if (last !== undefined && last.writableFinished) {
    // Inside the body of a request already answered (a bad chunk in a body being dropped): a second answer to it
    // would be read as the answer to the client's next request.
    socket.destroy();
    return;
  }
  writeAndClose(socket, replyTo(error));
}

/** The answer on its way says it closes the connection, if its head is not yet sent, and the connection closes after it. */
function closeAfter(res: ServerResponse, socket: Duplex): void {
  if (!res.headersSent) res.shouldKeepAlive = false;
  // Nothing more is read: the parser has given up on this connection.
  socket.pause();
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
