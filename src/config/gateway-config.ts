import type { Secret } from '../domain/secret';
import type { ExposureSettings } from './exposure-settings';

export type { LimitSettings } from './exposure-settings';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Which Authlete service decides registrations, and the credential to call it with. */
export interface AuthleteAccount {
  /** Where Authlete's API lives, e.g. https://us.authlete.com. */
  readonly baseUrl: string;
  readonly serviceId: string;
  readonly serviceAccessToken: Secret;
}

/** How calls to Authlete are made, whichever Authlete answers them. */
export interface AuthleteCalls {
  /** How long one decision may take, connection included, before the client gets a 504. */
  readonly timeoutMs: number;
  /** The most connections kept open to Authlete at once; further calls wait for a free one. */
  readonly maxConnections: number;
}

export type AuthleteSettings = AuthleteAccount & AuthleteCalls;

/** Settings of the stateful mock Authlete that stands in when no account is configured outside production. */
export interface EmbeddedMockSettings {
  /** Base of `registration_client_uri`; undefined means this service's own URL and registration path. */
  readonly managementBaseUrl: string | undefined;
  /** Authlete's `unauthorizedOnClientConfigSupported`: false turns UNAUTHORIZED into BAD_REQUEST, as Authlete does. */
  readonly unauthorizedOnClientConfigSupported: boolean;
}

export interface HttpSettings {
  readonly port: number;
  /** The interface to listen on; undefined listens on all of them. */
  readonly host: string | undefined;
  /** The registration endpoint's path; client configuration URLs are this path plus `/<client_id>`. */
  readonly registrationPath: string;
  /** The largest client metadata body accepted; larger ones get 413 without being read further. */
  readonly bodyLimitBytes: number;
  /** How long requests in flight may take to finish after SIGTERM before their connections are cut. */
  readonly shutdownGraceMs: number;
}

export interface GatewayConfig {
  /** The real Authlete account, or the embedded mock (development only: refused when NODE_ENV=production). */
  readonly authority: { readonly kind: 'authlete'; readonly account: AuthleteAccount } | { readonly kind: 'embedded_mock'; readonly mock: EmbeddedMockSettings };
  readonly authleteCalls: AuthleteCalls;
  readonly http: HttpSettings;
  readonly exposure: ExposureSettings;
  readonly logLevel: LogLevel;
}
