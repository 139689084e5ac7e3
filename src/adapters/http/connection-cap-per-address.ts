import type { Socket } from 'node:net';
import { limitKey } from './limit-key';

/**
 * At most `max` connections open at once from one client address (an IPv6 client's /64, as the per-address limits
 * count it), so that one client cannot hold every place under MAX_CONNECTIONS: the global cap makes room by closing
 * connections yet to send a request, but connections that trickle in bodies are in the middle of a request, and at
 * the cap they shut everyone else out until their body timeout. A connection over the address's cap is destroyed
 * on arrival, before it counts against the global cap or makes anyone else's connection close.
 */
export class ConnectionCapPerAddress {
  /** Open connections by address key; an address with none is not kept. */
  readonly #open = new Map<string, number>();

  constructor(
    private readonly max: number,
    /** Hears of each connection closed for its address, with the address as the limits count it. */
    private readonly refused: (address: string) => void,
  ) {}

  /** Whether the connection is let in; one let in is counted until it closes. */
  admit(socket: Socket): boolean {
    // A socket already closed by its peer has no address: it is let through, and closes anyway.
    const address = socket.remoteAddress;
    if (address === undefined) return true;
    const key = limitKey(address);
    const open = this.#open.get(key) ?? 0;
    if (open >= this.max) {
      socket.destroy();
      this.refused(key);
      return false;
    }
    this.#open.set(key, open + 1);
    socket.once('close', () => {
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left === 0) this.#open.delete(key);
      else this.#open.set(key, left);
    });
    return true;
  }

  /** How many addresses have connections open. */
  get addresses(): number {
    return this.#open.size;
  }
}
