import type { Secret } from '../domain/secret';

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

/**
 * The egress proxies the Authlete calls go through, as the environment names them (HTTPS_PROXY, HTTP_PROXY,
 * NO_PROXY, lower-case spellings first, as curl and undici read them); undefined where none is set.
 */
export interface EgressProxies {
  readonly httpsProxy: string | undefined;
  readonly httpProxy: string | undefined;
  readonly noProxy: string | undefined;
}

export type AuthleteSettings = AuthleteAccount & AuthleteCalls & { readonly proxies: EgressProxies };

export const STARTUP_CHECKS = ['fail', 'warn', 'off'] as const;
/** What a failed start-up credential check does: stop the process, only log, or the check is not made. */
export type StartupCheck = (typeof STARTUP_CHECKS)[number];

/** The listener for probes and metrics, kept off the public port. */
export interface AdminSettings {
  readonly port: number;
  /** undefined listens on all interfaces. */
  readonly host: string | undefined;
  /** ADMIN_PORT equal to PORT: one listener serves the registration endpoints, the probes and the metrics. */
  readonly sharesPublicListener: boolean;
}

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
  readonly admin: AdminSettings;
  /** The egress proxies for calls to the configured Authlete; the embedded mock on loopback is never proxied. */
  readonly proxies: EgressProxies;
  readonly startupCheck: StartupCheck;
  /** OpenTelemetry tracing is on when an OTLP endpoint is set; the SDK reads its other OTEL_ variables itself. */
  readonly tracing: { readonly enabled: boolean };
  readonly logLevel: LogLevel;
}
