import { sameDigest, tokenDigest } from './credentials';
import type { Metadata } from './client-metadata';

/** One registered client. Immutable: an update stores a new record under the same client ID. */
export interface StoredClient {
  readonly clientId: string;
  /** Issued to every client, shown only to those that authenticate with it, so switching methods keeps it. */
  readonly clientSecret: string;
  readonly registrationAccessTokenDigest: Buffer;
  readonly registrationClientUri: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly modifiedAt: number;
  readonly metadata: Metadata;
}

/** The clients alive, in memory; a deleted client leaves nothing behind. */
export class ClientStore {
  readonly #clients = new Map<string, StoredClient>();

  get size(): number {
    return this.#clients.size;
  }

  has(clientId: string): boolean {
    return this.#clients.has(clientId);
  }

  /** Adds a new client or replaces the record of an existing one. */
  put(client: StoredClient): void {
    this.#clients.set(client.clientId, client);
  }

  /**
   * The client, when it exists and the token is its registration access token. Both failures give the same
   * undefined, so no caller can tell an unknown client from a wrong token.
   */
  authenticate(clientId: string, registrationAccessToken: string): StoredClient | undefined {
    const presented = tokenDigest(registrationAccessToken);
    const client = this.#clients.get(clientId);
    return client !== undefined && sameDigest(presented, client.registrationAccessTokenDigest) ? client : undefined;
  }

  remove(clientId: string): void {
    this.#clients.delete(clientId);
  }
}
