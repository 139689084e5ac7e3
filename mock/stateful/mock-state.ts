import type { ClientStore } from './client-store';

/** What every decision may consult: the clients alive and the service settings, options resolved. */
export interface MockState {
  readonly store: ClientStore;
  readonly now: () => number;
  readonly managementBaseUrl: () => string;
  readonly unauthorizedOnClientConfigSupported: boolean;
}
