import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpReply } from './http-reply';
import { endAndDestroy } from './end-and-destroy';
import { REPLIES } from './replies';

/** What Node's parser gives up on, by its error code; anything else is answered as malformed. */
const BY_CODE: Readonly<Record<string, HttpReply>> = {
  HPE_HEADER_OVERFLOW: REPLIES.headersTooLarge,
  ERR_HTTP_REQUEST_TIMEOUT: REPLIES.requestTimedOut,
};

/**
 * Node answers requests it cannot parse with a bare status line; these get the gateway's JSON error shape too.
 * Written straight to the socket, because no request object exists to answer through.
 */
export function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  // Bytes after a request that asked to close the connection (RFC 9112 section 9.6): they are ignored, and the
  // answer to that request, still on its way, closes the connection. A 400 written now would take its place.
  if (error.code === 'HPE_CLOSED_CONNECTION') return;
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  writeAndClose(socket, BY_CODE[error.code ?? ''] ?? REPLIES.malformedHttp);
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
