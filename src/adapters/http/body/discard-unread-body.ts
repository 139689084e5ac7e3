import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long the rest of a refused body is read and dropped before its connection is closed. */
export const LINGER_MS = 2_000;

/**
 * After an answer given before the body was read to its end (413, a corrupt body), the rest is read and
 * dropped for a short while, never kept: closing at once would reset a connection the client is still sending
 * on, and the client would see the reset instead of the answer. A body still arriving after that is cut off.
 */
export function discardUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  res.once('finish', () => {
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    req.resume();
  });
}
