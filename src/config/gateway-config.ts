import type { Secret } from '../domain/secret';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Which Authlete 3.x service decides registrations (API v3), and the credential to call it with. */
export interface AuthleteV3Account {
  readonly apiVersion: 'v3';
  /** Where Authlete's API lives, e.g. https://us.authlete.com. */
  readonly baseUrl: string;
  readonly serviceId: string;
  readonly serviceAccessToken: Secret;
}

/** An Authlete 2.x service (API v2): no service ID in the paths; the API key and secret name the service. */
export interface AuthleteV2Account {
  readonly apiVersion: 'v2';
  /** Where Authlete's API lives, e.g. https://api.authlete.com. */
  readonly baseUrl: string;
  readonly serviceApiKey: string;
  readonly serviceApiSecret: Secret;
}

export type AuthleteApiVersion = 'v3' | 'v2';

export type AuthleteAccount = AuthleteV3Account | AuthleteV2Account;

/** How calls to Authlete are made, whichever Authlete answers them. */
export interface AuthleteCalls {
  /** How long one decision may take, connection included, before the client gets a 504. */
  readonly timeoutMs: number;
  /** The most connections kept open to Authlete at once; further calls wait for a free one. */
  readonly maxConnections: number;
}

export type AuthleteSettings = AuthleteAccount & AuthleteCalls;
export type AuthleteV3Settings = AuthleteV3Account & AuthleteCalls;
export type AuthleteV2Settings = AuthleteV2Account & AuthleteCalls;

/** Settings of the stateful mock Authlete that stands in when no account is configured outside production. */
export interface EmbeddedMockSettings {
  /** The Authlete API the gateway speaks to the mock, so the embedded path runs the configured adapter. */
  readonly apiVersion: AuthleteApiVersion;
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
  readonly logLevel: LogLevel;
}
