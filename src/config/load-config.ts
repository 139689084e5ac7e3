import { z } from 'zod';
import { Secret } from '../domain/secret';
import { LOG_LEVELS, STARTUP_CHECKS, type EgressProxies, type GatewayConfig } from './gateway-config';

export type ConfigResult = { readonly ok: true; readonly config: GatewayConfig } | { readonly ok: false; readonly problems: readonly string[] };

type Env = Readonly<Record<string, string | undefined>>;

function wholeNumber(min: number, max: number, fallback: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,10}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
    .default(fallback);
}

function httpUrl(example: string) {
  return z.url({ protocol: /^https?$/, error: `must be an http or https URL, such as ${example}` }).refine(
    (value) => {
      // An unparsable value has failed the URL check already; this check speaks only of parsable ones.
      const url = URL.parse(value);
      return url === null || (url.search === '' && url.hash === '');
    },
    { error: 'must not carry a query or fragment' },
  );
}

// A proxy URL may carry credentials (user:password@): like every message, this one names the variable, never the value.
const proxyUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL, such as http://proxy.internal:3128' }).optional();

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

// The router reads ':' and '*' as parameters, and a trailing slash would double up before the client ID.
const REGISTRATION_PATH = /^(\/[A-Za-z0-9._~!$&'()+,;=@-]+)+$/;

const ACCOUNT = ['AUTHLETE_BASE_URL', 'AUTHLETE_SERVICE_ID', 'AUTHLETE_SERVICE_ACCESS_TOKEN'] as const;
const ACCOUNT_PURPOSE: Record<(typeof ACCOUNT)[number], string> = {
  AUTHLETE_BASE_URL: "Authlete's API URL",
  AUTHLETE_SERVICE_ID: 'the Authlete service ID (API key)',
  AUTHLETE_SERVICE_ACCESS_TOKEN: 'the service access token for that service',
};

const schema = z.object({
  AUTHLETE_BASE_URL: httpUrl('https://us.authlete.com').optional(),
  AUTHLETE_SERVICE_ID: z.string().optional(),
  AUTHLETE_SERVICE_ACCESS_TOKEN: z.string().optional(),
  AUTHLETE_TIMEOUT_MS: wholeNumber(1, 600_000, 10_000),
  AUTHLETE_MAX_CONNECTIONS: wholeNumber(1, 10_000, 128),
  PORT: wholeNumber(0, 65_535, 8080),
  HOST: z.string().min(1).optional(),
  REGISTRATION_PATH: z
    .string()
    .regex(REGISTRATION_PATH, { error: "must be an absolute path without a trailing slash, ':' or '*', such as /register" })
    .default('/register'),
  BODY_LIMIT_BYTES: wholeNumber(1024, 10 * 1024 * 1024, 64 * 1024),
  SHUTDOWN_GRACE_MS: wholeNumber(0, 600_000, 15_000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  MOCK_MANAGEMENT_BASE_URL: httpUrl('http://localhost:8080/register').optional(),
  MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: flag.default(true),
  ADMIN_PORT: wholeNumber(0, 65_535, 9000),
  ADMIN_HOST: z.string().min(1).optional(),
  AUTHLETE_STARTUP_CHECK: z.enum(STARTUP_CHECKS, { error: `must be one of ${STARTUP_CHECKS.join(', ')}` }).default('warn'),
  // Only whether tracing is on is decided here; the OpenTelemetry SDK reads these and its other OTEL_ variables itself.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http or https URL, such as http://otel-collector:4318' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http or https URL, such as http://otel-collector:4318/v1/traces' }).optional(),
  OTEL_SDK_DISABLED: z.string().optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  https_proxy: proxyUrl,
  HTTPS_PROXY: proxyUrl,
  http_proxy: proxyUrl,
  HTTP_PROXY: proxyUrl,
  no_proxy: z.string().optional(),
  NO_PROXY: z.string().optional(),
  NODE_ENV: z.string().optional(),
});

type Parsed = z.infer<typeof schema>;

/** Every variable the gateway reads: what a deployment may set, and nothing else. */
export const CONFIG_VARIABLES: ReadonlySet<string> = new Set(Object.keys(schema.shape));

/** With none of the account variables set, outside production, the embedded mock answers; otherwise all are needed. */
function accountProblems(present: Env): string[] {
  const missing = ACCOUNT.filter((name) => present[name] === undefined);
  if (missing.length === ACCOUNT.length && present['NODE_ENV'] !== 'production') return [];
  const why = missing.length === ACCOUNT.length ? 'when NODE_ENV=production' : 'once any AUTHLETE_ account setting is given';
  return missing.map((name) => `${name} is required ${why}: ${ACCOUNT_PURPOSE[name]}`);
}

// The OpenTelemetry SDK's own switches: OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn tracing off too.
function tracingEnabled(e: Parsed): boolean {
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const disabled = e.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || e.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none';
  return endpoint !== undefined && !disabled;
}

function proxies(e: Parsed): EgressProxies {
  return {
    httpsProxy: e.https_proxy ?? e.HTTPS_PROXY,
    httpProxy: e.http_proxy ?? e.HTTP_PROXY,
    noProxy: e.no_proxy ?? e.NO_PROXY,
  };
}

// One listener serves both when the ports are equal; a different ADMIN_HOST would then be silently ignored.
function listenerProblems(present: Env): string[] {
  const { PORT: port = '8080', ADMIN_PORT: adminPort = '9000', HOST: host, ADMIN_HOST: adminHost } = present;
  if (port !== adminPort || port === '0' || adminHost === undefined || adminHost === host) return [];
  return ['ADMIN_HOST must be unset or equal to HOST when ADMIN_PORT equals PORT: one listener serves both'];
}

function toConfig(e: Parsed): GatewayConfig {
  const { AUTHLETE_BASE_URL: baseUrl, AUTHLETE_SERVICE_ID: serviceId, AUTHLETE_SERVICE_ACCESS_TOKEN: token } = e;
  return {
    authority:
      baseUrl !== undefined && serviceId !== undefined && token !== undefined
        ? { kind: 'authlete', account: { baseUrl: baseUrl.replace(/\/+$/, ''), serviceId, serviceAccessToken: new Secret(token) } }
        : {
            kind: 'embedded_mock',
            mock: {
              managementBaseUrl: e.MOCK_MANAGEMENT_BASE_URL?.replace(/\/+$/, ''),
              unauthorizedOnClientConfigSupported: e.MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG,
            },
          },
    authleteCalls: { timeoutMs: e.AUTHLETE_TIMEOUT_MS, maxConnections: e.AUTHLETE_MAX_CONNECTIONS },
    http: {
      port: e.PORT,
      host: e.HOST,
      registrationPath: e.REGISTRATION_PATH,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    },
    // Port 0 asks for any free port, so two zeros still mean two listeners.
    admin: { port: e.ADMIN_PORT, host: e.ADMIN_HOST ?? e.HOST, sharesPublicListener: e.ADMIN_PORT === e.PORT && e.PORT !== 0 },
    proxies: proxies(e),
    startupCheck: e.AUTHLETE_STARTUP_CHECK,
    tracing: { enabled: tracingEnabled(e) },
    logLevel: e.LOG_LEVEL,
  };
}

/** Reads the gateway's settings from the environment; an empty variable counts as unset. */
export function loadConfig(env: Env): ConfigResult {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  // Messages name the variable and the rule, never the value: some values are secrets.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)),
    ...accountProblems(present),
    ...listenerProblems(present),
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, config: toConfig(parsed.data) };
}
