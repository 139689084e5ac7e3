import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 256 random bits as base64url: 43 characters, the length of Authlete's own secrets and tokens. */
export function randomCredential(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A 16-digit number like Authlete's client IDs, below 2^53 so that the `client` view can carry it as a JSON
 * number without loss. `taken` keeps it unique among the clients alive.
 */
export function newClientId(taken: (candidate: string) => boolean): string {
  for (;;) {
    // randomInt spans at most 2^48 values, hence two parts: 9 leading digits (1..8 first) and 7 more.
    const candidate = `${randomInt(100_000_000, 900_000_000)}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
    if (!taken(candidate)) return candidate;
  }
}

/** What the store keeps of a registration access token: enough to check one, not enough to present one. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Compares a presented secret with the stored one without leaking, through timing, how much of it matched. */
export function sameSecret(presented: string, stored: string): boolean {
  return sameDigest(tokenDigest(presented), tokenDigest(stored));
}
