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
}
