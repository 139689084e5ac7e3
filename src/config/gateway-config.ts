import { z } from 'zod';
import { EXPOSURE_SETTINGS, toExposure } from './exposure-env';
import { baseUrl, flag, listenHost, oneOf, port, secret, token, wholeNumber, wholeNumberOrOff } from './setting-rules';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** What a failed start-up credential check does: stop the process, only log, or the check is not made. */
export const STARTUP_CHECKS = ['fail', 'warn', 'off'] as const;

// A proxy URL may carry credentials (user:password@), which the rule allows and never repeats.
const proxyUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL, such as http://proxy.internal:3128' }).optional();

/** v3: Authlete 3.x (service ID in the paths, a Bearer service access token); v2: Authlete 2.x (HTTP Basic, no service ID). */
export const AUTHLETE_API_VERSIONS = ['v3', 'v2'] as const;
export type AuthleteApiVersion = (typeof AUTHLETE_API_VERSIONS)[number];

// RFC 7617: the user name of HTTP Basic cannot hold a colon.
const apiKey = z.string().regex(/^[\x21-\x39\x3B-\x7E]+$/, { error: 'must be one line of visible ASCII characters without spaces or colons' });

// The router reads ':' and '*' as parameters, and a trailing slash would double up before the client ID.
const REGISTRATION_PATH = /^(\/[A-Za-z0-9._~!$&'()+,;=@-]+)+$/;

/**
 * Every setting of the gateway: its environment variable, parse rule and default. This is the one place a setting
 * is defined: the configuration's type follows from it, and the tests build their configurations through it.
 * A setting made with `secret()` can also be read from the file that `<NAME>_FILE` names.
 */
export const GATEWAY_SETTINGS = {
  AUTHLETE_BASE_URL: baseUrl('https://us.authlete.com').optional(),
  // A path segment of every call (/api/{serviceId}/...): '/', '..' or '%' would point the calls somewhere else.
  AUTHLETE_SERVICE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be the service ID (API key) as Authlete shows it: letters, digits, _ or -' })
    .optional(),
  AUTHLETE_SERVICE_ACCESS_TOKEN: secret(token),
  AUTHLETE_API_VERSION: oneOf(AUTHLETE_API_VERSIONS).default('v3'),
  AUTHLETE_SERVICE_API_KEY: secret(apiKey),
  AUTHLETE_SERVICE_API_SECRET: secret(token),
  AUTHLETE_TIMEOUT_MS: wholeNumber(1, 600_000).default(10_000),
  AUTHLETE_MAX_CONNECTIONS: wholeNumber(1, 10_000).default(128),
  // By default PENDING_PER_CONNECTION times AUTHLETE_MAX_CONNECTIONS.
  AUTHLETE_MAX_PENDING: wholeNumber(1, 100_000).optional(),
  AUTHLETE_BREAKER_FAILURES: wholeNumber(1, 10_000).default(5),
  AUTHLETE_BREAKER_COOLDOWN_MS: wholeNumber(100, 600_000).default(10_000),
  // Under a 1,024 descriptor limit with room for the Authlete pool (twice over when the embedded mock holds the
  // other end in the same process) and Node's own descriptors: 640 + 2 × 128 + some 30 < 1,024.
  MAX_CONNECTIONS: wholeNumber(1, 1_000_000).default(640),
  MAX_CONNECTIONS_PER_IP: wholeNumberOrOff(1, 1_000_000).default('off'),
  PORT: port.default(8080),
  HOST: listenHost.optional(),
  REGISTRATION_PATH: z
    .string()
    .regex(REGISTRATION_PATH, { error: "must be an absolute path without a trailing slash, ':' or '*', such as /register" })
    .default('/register'),
  BODY_LIMIT_BYTES: wholeNumber(1024, 10 * 1024 * 1024).default(64 * 1024),
  // At most the 30 s request timeout, which would cut the request off first anyway.
  BODY_TIMEOUT_MS: wholeNumber(1_000, 30_000).default(10_000),
  SHUTDOWN_GRACE_MS: wholeNumber(0, 600_000).default(15_000),
  // Long enough for a load balancer polling readiness every second or two to see the 503 and stop sending.
  SHUTDOWN_DELAY_MS: wholeNumber(0, 600_000).default(5_000),
  // Above the 60 s idle timeout of common load balancers: a server that closes an idle connection first races
  // the balancer reusing it, and the balancer answers that request 502. Node 24 times a request's headers from its
  // first byte, not from the end of the previous one, so headersTimeout (10 s) need not exceed this (seen: a
  // second request after 5 s idle under headersTimeout 2 s is served); the socket closes 1 s after this
  // (keepAliveTimeoutBuffer), so the advertised Keep-Alive timeout is kept.
  KEEP_ALIVE_TIMEOUT_MS: wholeNumber(1_000, 600_000).default(65_000),
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
  // Probes and metrics listen here; equal to PORT, one listener serves everything.
  ADMIN_PORT: port.default(9000),
  ADMIN_HOST: listenHost.optional(),
  AUTHLETE_STARTUP_CHECK: oneOf(STARTUP_CHECKS).default('warn'),
  // Only whether tracing is on is decided here; the OpenTelemetry SDK reads these and its other OTEL_ variables itself.
  OTEL_EXPORTER_OTLP_ENDPOINT: baseUrl('http://otel-collector:4318').optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: baseUrl('http://otel-collector:4318/v1/traces').optional(),
  OTEL_SDK_DISABLED: z.string().optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  // The egress proxies of the Authlete calls, in both spellings; the lower-case one wins, as in curl and undici.
  https_proxy: proxyUrl,
  HTTPS_PROXY: proxyUrl,
  http_proxy: proxyUrl,
  HTTP_PROXY: proxyUrl,
  no_proxy: z.string().optional(),
  NO_PROXY: z.string().optional(),
  MOCK_MANAGEMENT_BASE_URL: baseUrl('http://localhost:8080/register').optional(),
  MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: flag.default(true),
  NODE_ENV: z.string().optional(),
  ...EXPOSURE_SETTINGS,
};

type SettingName = keyof typeof GATEWAY_SETTINGS;

/** The settings that name a real Authlete account, per API version; none of them selects the embedded mock. */
export const ACCOUNT_SETTINGS = {
  v3: {
    AUTHLETE_BASE_URL: "Authlete's API URL",
    AUTHLETE_SERVICE_ID: 'the Authlete service ID (API key)',
    AUTHLETE_SERVICE_ACCESS_TOKEN: 'the service access token for that service',
  },
  v2: {
    AUTHLETE_BASE_URL: "Authlete's API URL",
    AUTHLETE_SERVICE_API_KEY: "the service's API key (the user name of HTTP Basic)",
    AUTHLETE_SERVICE_API_SECRET: "the service's API secret (the password of HTTP Basic)",
  },
} as const satisfies Record<AuthleteApiVersion, Partial<Record<SettingName, string>>>;

/** The other version's account settings: given with this version, they are a mistake, not something to ignore. */
export const FOREIGN_ACCOUNT_SETTINGS = {
  v3: ['AUTHLETE_SERVICE_API_KEY', 'AUTHLETE_SERVICE_API_SECRET'],
  v2: ['AUTHLETE_SERVICE_ID', 'AUTHLETE_SERVICE_ACCESS_TOKEN'],
} as const satisfies Record<AuthleteApiVersion, readonly SettingName[]>;

export type GatewaySettings = z.output<z.ZodObject<typeof GATEWAY_SETTINGS>>;

/** Requests admitted per connection to Authlete, by default: one in flight and one waiting, each holding its body. */
export const PENDING_PER_CONNECTION = 2;

// The OpenTelemetry SDK's own switches: OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn tracing off too.
function tracingEnabled(s: GatewaySettings): boolean {
  const endpoint = s.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? s.OTEL_EXPORTER_OTLP_ENDPOINT;
  const disabled = s.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || s.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none';
  return endpoint !== undefined && !disabled;
}

function authorityOf(s: GatewaySettings) {
  const { AUTHLETE_BASE_URL: baseUrl, AUTHLETE_API_VERSION: apiVersion } = s;
  const { AUTHLETE_SERVICE_ID: serviceId, AUTHLETE_SERVICE_ACCESS_TOKEN: serviceAccessToken } = s;
  const { AUTHLETE_SERVICE_API_KEY: apiKey, AUTHLETE_SERVICE_API_SECRET: serviceApiSecret } = s;
  if (baseUrl !== undefined && apiVersion === 'v3' && serviceId !== undefined && serviceAccessToken !== undefined) {
    return { kind: 'authlete' as const, account: { apiVersion: 'v3' as const, baseUrl, serviceId, serviceAccessToken } };
  }
  if (baseUrl !== undefined && apiVersion === 'v2' && apiKey !== undefined && serviceApiSecret !== undefined) {
    // The API key names the service, as the service ID does in v3: it is logged at start-up, and only the secret is one.
    return { kind: 'authlete' as const, account: { apiVersion: 'v2' as const, baseUrl, serviceApiKey: apiKey.reveal(), serviceApiSecret } };
  }
  return {
    kind: 'embedded_mock' as const,
    mock: {
      /** The Authlete API the gateway speaks to the mock, so the embedded path runs the configured adapter. */
      apiVersion,
      /** Base of `registration_client_uri`; undefined means this service's own URL and registration path. */
      managementBaseUrl: s.MOCK_MANAGEMENT_BASE_URL,
      /** Authlete's `unauthorizedOnClientConfigSupported`: false turns UNAUTHORIZED into BAD_REQUEST, as Authlete does. */
      unauthorizedOnClientConfigSupported: s.MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG,
    },
  };
}

/** Groups the settings the way the code consumes them. */
export function toGatewayConfig(s: GatewaySettings) {
  return {
    /** The real Authlete account, or the embedded mock (development only: refused when NODE_ENV=production). */
    authority: authorityOf(s),
    /** How calls to Authlete are made, whichever Authlete answers them. */
    authleteCalls: {
      /** How long one decision may take, connection included, before the client gets a 504. */
      timeoutMs: s.AUTHLETE_TIMEOUT_MS,
      /** The most connections kept open to Authlete at once; further calls wait for a free one. */
      maxConnections: s.AUTHLETE_MAX_CONNECTIONS,
      /** Requests admitted at once for a call (in flight or waiting, their body read); with every place taken, 503 before the body is read. */
      maxPending: s.AUTHLETE_MAX_PENDING ?? PENDING_PER_CONNECTION * s.AUTHLETE_MAX_CONNECTIONS,
      /** Consecutive timeouts, refusals and 429/503 answers that open the circuit breaker. */
      breakerFailures: s.AUTHLETE_BREAKER_FAILURES,
      /** How long the open circuit answers 503 without calling Authlete before one trial call goes through. */
      breakerCooldownMs: s.AUTHLETE_BREAKER_COOLDOWN_MS,

      /** The egress proxies the calls go through (NO_PROXY exempts hosts); undefined where none is set. */
      proxies: {
        httpsProxy: s.https_proxy ?? s.HTTPS_PROXY,
        httpProxy: s.http_proxy ?? s.HTTP_PROXY,
        noProxy: s.no_proxy ?? s.NO_PROXY,
      } as EgressProxies,
    },
    http: {
      port: s.PORT,
      /** The interface to listen on; undefined listens on all of them. */
      host: s.HOST,
      /** The registration endpoint's path; client configuration URLs are this path plus `/<client_id>`. */
      registrationPath: s.REGISTRATION_PATH,
      /** The largest client metadata body accepted; larger ones get 413 without being read further. */
      bodyLimitBytes: s.BODY_LIMIT_BYTES,
      /** How long the body may take to arrive once the request's headers have been checked; then 408. */
      bodyTimeoutMs: s.BODY_TIMEOUT_MS,
      /** How long requests in flight may take to finish after SIGTERM before their connections are cut. */
      shutdownGraceMs: s.SHUTDOWN_GRACE_MS,
      /** How long an idle keep-alive connection stays open. */
      keepAliveTimeoutMs: s.KEEP_ALIVE_TIMEOUT_MS,
      /** How long after SIGTERM the gateway still accepts and answers (readiness already 503), for load balancers to notice. */
      shutdownDelayMs: s.SHUTDOWN_DELAY_MS,
      /** Concurrent client connections at most; at it, a silent or idle one makes room, else the new one is closed. */
      maxConnections: s.MAX_CONNECTIONS,
      /** Connections at most from one client address (the socket's peer; an IPv6 /64), or undefined for no such cap. */
      maxConnectionsPerAddress: s.MAX_CONNECTIONS_PER_IP === 'off' ? undefined : s.MAX_CONNECTIONS_PER_IP,
    },
    /** The listener for probes and metrics, kept off the public port. */
    admin: {
      port: s.ADMIN_PORT,
      /** undefined listens on all interfaces. */
      host: s.ADMIN_HOST ?? s.HOST,
      /** ADMIN_PORT equal to PORT: one listener; port 0 asks for any free port, so two zeros are two listeners. */
      sharesPublicListener: s.ADMIN_PORT === s.PORT && s.PORT !== 0,
    },
    startupCheck: s.AUTHLETE_STARTUP_CHECK,
    /** OpenTelemetry tracing is on when an OTLP endpoint is set; the SDK reads its other OTEL_ variables itself. */
    tracing: { enabled: tracingEnabled(s) },
    /** Access policy, abuse limits, CORS, audit trail and proxies in front: an endpoint facing the internet. */
    exposure: toExposure(s),
    logLevel: s.LOG_LEVEL,
  } as const;
}

export type GatewayConfig = ReturnType<typeof toGatewayConfig>;
export type LogLevel = GatewayConfig['logLevel'];
/** Which Authlete service decides registrations, and the credential to call it with. */
export type AuthleteAccount = Extract<GatewayConfig['authority'], { kind: 'authlete' }>['account'];
export type AuthleteCalls = GatewayConfig['authleteCalls'];
export type AuthleteSettings = AuthleteAccount & AuthleteCalls;
export type AuthleteV3Account = Extract<AuthleteAccount, { apiVersion: 'v3' }>;
export type AuthleteV2Account = Extract<AuthleteAccount, { apiVersion: 'v2' }>;
export type AuthleteV3Settings = AuthleteV3Account & AuthleteCalls;
export type AuthleteV2Settings = AuthleteV2Account & AuthleteCalls;
export type HttpSettings = GatewayConfig['http'];
export type StartupCheck = GatewayConfig['startupCheck'];

/** The egress proxies, as the environment names them (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
export interface EgressProxies {
  readonly httpsProxy: string | undefined;
  readonly httpProxy: string | undefined;
  readonly noProxy: string | undefined;
}

export type { LimitSettings } from './exposure-settings';
