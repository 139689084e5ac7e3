import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long the rest of a refused body is read and dropped before its connection is closed. */
export const LINGER_MS = 2_000;

/**
 * After an answer given before the body was read to its end (413, a corrupt body, any refusal before the body step,
 * a path that takes none), the rest is read and dropped for a short while, never kept: closing at once would reset a
 * connection the client is still sending on, and the client would see the reset instead of the answer. A body still
 * arriving after that is cut off. Left to itself, Node would read and drop all of it, however long, to keep the
 * connection. A frame step: it runs once every request is answered, and does nothing for a body read to its end.
 */
export function discardUnreadBody({ req, res }: { readonly req: IncomingMessage; readonly res: ServerResponse }): void {
  if (req.complete) return;
  res.once('finish', () => {
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    req.resume();
  });
}
