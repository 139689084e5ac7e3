import type { Secret } from '../domain/secret';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AuthleteSettings {
  /** Where Authlete's API lives, e.g. https://us.authlete.com. */
  readonly baseUrl: string;
  readonly serviceId: string;
  readonly serviceAccessToken: Secret;
  /** How long one decision may take, connection included, before the client gets a 504. */
  readonly timeoutMs: number;
  /** The most connections kept open to Authlete at once; further calls wait for a free one. */
  readonly maxConnections: number;
}

export interface HttpSettings {
  readonly port: number;
  /** The interface to listen on; undefined listens on all of them. */
  readonly host: string | undefined;
  /** The registration endpoint's path; client configuration URLs are this path plus `/<client_id>`. */
  readonly registrationPath: string;
  /** The largest client metadata body accepted; larger ones get 413 without being read further. */
  readonly bodyLimitBytes: number;
}

export interface GatewayConfig {
  readonly authlete: AuthleteSettings;
  readonly http: HttpSettings;
  readonly logLevel: LogLevel;
}
