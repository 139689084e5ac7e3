import type { Socket } from 'node:net';

/** Who hears of the cap: once per episode at it, once when it is over, and per connection closed for it. */
export interface ConnectionCapWatch {
  readonly reached: () => void;
  readonly calm: (evicted: number, dropped: number) => void;
  readonly evicted: () => void;
  readonly dropped: () => void;
}

/**
 * At most `max` connections on a listener. Not Node's own `maxConnections`: at its cap Node closes every new
 * connection, so a client holding the cap with connections that never send a request locks everyone else out
 * until they time out. Here, at the cap, the oldest connection that has not yet sent a request head is closed to
 * make room; when every open connection has sent one, those idle between two requests are closed; only when every
 * connection is in the middle of a request is the new one closed instead. Sockets are destroyed, not ended, so
 * their descriptors are free at once.
 */
export class ConnectionCap {
  /** Every connection that still holds a descriptor. */
  readonly #open = new Set<Socket>();
  /** The connections yet to send a complete request head, oldest first (a Set keeps insertion order). */
  readonly #unproven = new Set<Socket>();
  /** Whether connections are at the cap (said once per such episode). */
  #atCap = false;
  /**
   * An episode at the cap ends only once this few connections are open, a tenth of the cap below it: a client that
   * holds the cap sees a place free up and be retaken many times a second, and that is one episode, not many.
   */
  readonly #calmBelow: number;
  #evictedInEpisode = 0;
  #droppedInEpisode = 0;
  /** One listener for every connection's 'close' (called with the socket as `this`), not a closure each. */
  readonly #forget: (this: Socket) => void;

  constructor(
    private readonly max: number,
    private readonly watch: ConnectionCapWatch,
    /** Closes the listener's connections that sit between two requests (node:http's closeIdleConnections). */
    private readonly closeIdle: () => void,
  ) {
    this.#calmBelow = max - Math.ceil(max / 10);
    const open = this.#open;
    const unproven = this.#unproven;
    this.#forget = function (this: Socket): void {
      open.delete(this);
      unproven.delete(this);
    };
  }

  get size(): number {
    return this.#open.size;
  }

  /** A new connection, let in within the cap; it leaves the count when it closes. */
  admit(socket: Socket): void {
    socket.once('close', this.#forget);
    const open = this.#open.size;
    if (open < this.max) {
      this.#open.add(socket);
      this.#unproven.add(socket);
      if (this.#atCap && open <= this.#calmBelow) this.#episodeOver();
      return;
    }
    this.#reached();
    const oldest = this.#unproven.values().next();
    if (oldest.done === false) {
      const evicted = oldest.value;
      this.#open.delete(evicted);
      this.#unproven.delete(evicted);
      evicted.destroy();
      this.#counted(1);
    } else if (!this.#closedIdle()) {
      socket.destroy();
      this.watch.dropped();
      this.#droppedInEpisode++;
      return;
    }
    this.#open.add(socket);
    this.#unproven.add(socket);
  }

  /**
   * Every connection has sent a request: the ones between two requests (kept alive, idle) are closed, as their
   * keep-alive timeout would have. Without it, connections that each sent a request every few seconds held the
   * cap for ever, and no one else got in (64 of them kept every probe from answering).
   */
  #closedIdle(): boolean {
    this.closeIdle();
    let closed = 0;
    for (const socket of this.#open) {
      if (!socket.destroyed) continue;
      this.#open.delete(socket);
      closed++;
    }
    this.#counted(closed);
    return closed > 0;
  }

  #counted(evicted: number): void {
    for (let i = 0; i < evicted; i++) this.watch.evicted();
    this.#evictedInEpisode += evicted;
  }

  /** The connection sent a request head: it is no longer the first to close at the cap. */
  proven(socket: Socket): void {
    this.#unproven.delete(socket);
  }

  #reached(): void {
    if (this.#atCap) return;
    this.#atCap = true;
    this.watch.reached();
  }

  #episodeOver(): void {
    this.#atCap = false;
    this.watch.calm(this.#evictedInEpisode, this.#droppedInEpisode);
    this.#evictedInEpisode = 0;
    this.#droppedInEpisode = 0;
  }
}
