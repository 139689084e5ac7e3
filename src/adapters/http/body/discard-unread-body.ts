import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long the rest of a refused body is read and dropped before its connection is closed. */
export const LINGER_MS = 2_000;

const discarding = new WeakSet<IncomingMessage>();

/**
 * After an answer given before the body was read to its end (413, a corrupt body, a refusal before the body step),
 * the rest is read and dropped for a short while, never kept: closing at once would reset a connection the client
 * is still sending on, and the client would see the reset instead of the answer. A body still arriving after that
 * is cut off. Left to itself, Node would read and drop all of it, however long it is, to keep the connection.
 */
export function discardUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || discarding.has(req)) return;
  discarding.add(req);
  res.once('finish', () => {
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    req.resume();
  });
}
