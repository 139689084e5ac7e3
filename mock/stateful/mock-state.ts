import type { ClientStore } from './client-store';
import type { TokenStore } from './token-store';

/** What every decision may consult: the clients alive and the service settings, options resolved. */
export interface MockState {
  readonly store: ClientStore;
  /** Access tokens minted through the mock's own endpoint, for introspection. */
  readonly tokens: TokenStore;
  readonly now: () => number;
  readonly managementBaseUrl: () => string;
  readonly unauthorizedOnClientConfigSupported: boolean;
  readonly limits: StoreLimits;
}

/** What the mock keeps at most, so a loop of registrations cannot grow it without bound. */
export interface StoreLimits {
  /** Clients alive at once; a registration past it is refused (M001205) until one is deleted. */
  readonly maxClients: number;
  /** UTF-8 bytes of one client's metadata text; larger metadata is refused (problem 209). */
  readonly maxMetadataBytes: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxClients: 10_000, maxMetadataBytes: 16 * 1024 };
