import type { Duplex } from 'node:stream';
import { endAndDestroy } from './end-and-destroy';

interface UnparsableReply {
  readonly status: number;
  readonly reason: string;
  readonly description: string;
}

/** What Node's parser gives up on, by its error code; anything else is answered as malformed. */
export const UNPARSABLE_REPLIES: Readonly<Record<string, UnparsableReply>> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', description: 'The request line and headers are larger than this server accepts.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', description: 'The request did not arrive in time.' },
};
export const MALFORMED_REPLY: UnparsableReply = { status: 400, reason: 'Bad Request', description: 'The request is not well-formed HTTP.' };

/**
 * Node answers requests it cannot parse with a bare status line; these get the gateway's JSON error shape too.
 * Written straight to the socket, because no request object exists to answer through; the socket is destroyed
 * once the answer is flushed.
 */
export function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const { status, reason, description } = UNPARSABLE_REPLIES[error.code ?? ''] ?? MALFORMED_REPLY;
  const body = JSON.stringify({ error: 'invalid_request', error_description: description });
  // A peer that never closes its side would otherwise keep the descriptor forever.
  endAndDestroy(
    socket,
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nPragma: no-cache\r\nConnection: close\r\n\r\n${body}`,
  );
}
