import type { Duplex } from 'node:stream';

/** A socket whose answer cannot be flushed (the peer reads nothing) is destroyed anyway after this long. */
const FLUSH_WAIT_MS = 1_000;

/**
 * Ends the socket with a last write and destroys it once that is flushed. `end()` alone leaves the socket open
 * for as long as the peer keeps its own side open, so a client that never closes would hold a descriptor forever.
 */
export function endAndDestroy(socket: Duplex, last: string): void {
  const timer = setTimeout(() => socket.destroy(), FLUSH_WAIT_MS);
  timer.unref();
  socket.end(last, () => {
    clearTimeout(timer);
    socket.destroy();
  });
}
