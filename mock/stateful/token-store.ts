import { randomCredential, sameDigest, tokenDigest } from './credentials';

/** An access token the mock issued, as introspection sees it. */
export interface IssuedToken {
  readonly scopes: readonly string[];
  /** Milliseconds since the epoch, as Authlete gives them. */
  readonly expiresAt: number;
  readonly clientId: number;
}

// Tokens minted on a laptop or in a test: a bound keeps a loop that mints forever from growing the mock without end.
const MAX_TOKENS = 10_000;

/** The access tokens minted through the mock's own endpoint; only digests are kept, as for registration tokens. */
export class TokenStore {
  readonly #tokens = new Map<string, IssuedToken & { readonly digest: Buffer }>();

  mint(scopes: readonly string[], expiresAt: number, clientId: number): string {
    const token = randomCredential();
    const digest = tokenDigest(token);
    if (this.#tokens.size >= MAX_TOKENS) {
      const oldest = this.#tokens.keys().next();
      if (oldest.done !== true) this.#tokens.delete(oldest.value);
    }
    this.#tokens.set(digest.toString('hex'), { scopes, expiresAt, clientId, digest });
    return token;
  }

  find(token: string): IssuedToken | undefined {
    const digest = tokenDigest(token);
    const found = this.#tokens.get(digest.toString('hex'));
    return found !== undefined && sameDigest(digest, found.digest) ? found : undefined;
  }
}
