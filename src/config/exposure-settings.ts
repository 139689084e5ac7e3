import type { LimitRule } from '../domain/limits';
import type { Secret } from '../domain/secret';

/** Who may register: anyone (RFC 7591's open registration), or holders of an initial access token. */
export type RegistrationAccessSettings =
  | { readonly kind: 'open' }
  /** The token must be one the Authlete service issued, alive, and cover every one of `scopes`. */
  | { readonly kind: 'token'; readonly scopes: readonly string[] };

/** Each abuse limit, undefined when it is off; the counters live in Redis when `redis` is set, else in memory. */
export interface LimitSettings {
  readonly registrationsPerIp: LimitRule | undefined;
  readonly registrationsTotal: LimitRule | undefined;
  readonly authFailuresPerIp: LimitRule | undefined;
  readonly redis: { readonly url: Secret; readonly timeoutMs: number } | undefined;
}

/** Which web origins may call the endpoints from a browser; undefined means no CORS headers at all. */
export type CorsSettings = { readonly allowedOrigins: '*' | readonly string[] } | undefined;

export type AuditDestination =
  | { readonly kind: 'off' }
  | { readonly kind: 'stdout' }
  | { readonly kind: 'stderr' }
  | { readonly kind: 'file'; readonly path: string };

/** What an endpoint facing the internet needs beyond the protocol: access policy, limits, CORS, audit. */
export interface ExposureSettings {
  readonly registrationAccess: RegistrationAccessSettings;
  readonly limits: LimitSettings;
  readonly cors: CorsSettings;
  readonly audit: AuditDestination;
  /** How many proxies in front may be believed for X-Forwarded-For; 0 takes the socket's peer as the client. */
  readonly trustProxyHops: number;
}
