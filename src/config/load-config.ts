import { z } from 'zod';
import { Secret } from '../domain/secret';
import { LOG_LEVELS, type GatewayConfig } from './gateway-config';

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

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

// The router reads ':' and '*' as parameters, and a trailing slash would double up before the client ID.
const REGISTRATION_PATH = /^(\/[A-Za-z0-9._~!$&'()+,;=@-]+)+$/;

const API_VERSIONS = ['v3', 'v2'] as const;
type ApiVersion = (typeof API_VERSIONS)[number];

// The settings that name an Authlete account, per API version; the base URL serves both.
const ACCOUNT = {
  v3: ['AUTHLETE_BASE_URL', 'AUTHLETE_SERVICE_ID', 'AUTHLETE_SERVICE_ACCESS_TOKEN'],
  v2: ['AUTHLETE_BASE_URL', 'AUTHLETE_SERVICE_API_KEY', 'AUTHLETE_SERVICE_API_SECRET'],
} as const;
type AccountSetting = (typeof ACCOUNT)[ApiVersion][number];
const ACCOUNT_PURPOSE: Record<AccountSetting, string> = {
  AUTHLETE_BASE_URL: "Authlete's API URL",
  AUTHLETE_SERVICE_ID: 'the Authlete service ID (API key)',
  AUTHLETE_SERVICE_ACCESS_TOKEN: 'the service access token for that service',
  AUTHLETE_SERVICE_API_KEY: "the service's API key (the user name of HTTP Basic)",
  AUTHLETE_SERVICE_API_SECRET: "the service's API secret (the password of HTTP Basic)",
};
// The other version's account settings: given with this version, they are a mistake, not something to ignore.
const FOREIGN: Record<ApiVersion, readonly AccountSetting[]> = {
  v3: ['AUTHLETE_SERVICE_API_KEY', 'AUTHLETE_SERVICE_API_SECRET'],
  v2: ['AUTHLETE_SERVICE_ID', 'AUTHLETE_SERVICE_ACCESS_TOKEN'],
};
const FOREIGN_ADVICE: Record<ApiVersion, string> = {
  v3: 'is an Authlete API v2 setting, but AUTHLETE_API_VERSION is v3 (the default): set AUTHLETE_API_VERSION=v2 for Authlete 2.x, or remove it',
  v2: 'is an Authlete API v3 setting, but AUTHLETE_API_VERSION is v2, which names the service by AUTHLETE_SERVICE_API_KEY and AUTHLETE_SERVICE_API_SECRET: remove it',
};

const schema = z.object({
  AUTHLETE_BASE_URL: httpUrl('https://us.authlete.com').optional(),
  AUTHLETE_SERVICE_ID: z.string().optional(),
  AUTHLETE_SERVICE_ACCESS_TOKEN: z.string().optional(),
  AUTHLETE_API_VERSION: z.enum(API_VERSIONS, { error: 'must be v3 (Authlete 3.x) or v2 (Authlete 2.x)' }).default('v3'),
  AUTHLETE_SERVICE_API_KEY: z.string().optional(),
  AUTHLETE_SERVICE_API_SECRET: z.string().optional(),
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
  NODE_ENV: z.string().optional(),
});

type Parsed = z.infer<typeof schema>;

/**
 * With none of the account settings given, outside production, the embedded mock answers; otherwise all of the
 * chosen version's are needed, and none of the other version's may be given.
 */
function accountProblems(present: Env): string[] {
  const version: ApiVersion = present['AUTHLETE_API_VERSION'] === 'v2' ? 'v2' : 'v3';
  const foreign = FOREIGN[version].filter((name) => present[name] !== undefined);
  const wanted = ACCOUNT[version];
  const missing = wanted.filter((name) => present[name] === undefined);
  const noneGiven = missing.length === wanted.length && foreign.length === 0;
  if (noneGiven && present['NODE_ENV'] !== 'production') return [];
  const why = noneGiven ? 'when NODE_ENV=production' : `for Authlete API ${version} once any AUTHLETE_ account setting is given`;
  return [
    ...foreign.map((name) => `${name} ${FOREIGN_ADVICE[version]}`),
    ...missing.map((name) => `${name} is required ${why}: ${ACCOUNT_PURPOSE[name]}`),
  ];
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function authorityOf(e: Parsed): GatewayConfig['authority'] {
  const { AUTHLETE_BASE_URL: baseUrl, AUTHLETE_API_VERSION: apiVersion } = e;
  const { AUTHLETE_SERVICE_ID: serviceId, AUTHLETE_SERVICE_ACCESS_TOKEN: token } = e;
  const { AUTHLETE_SERVICE_API_KEY: apiKey, AUTHLETE_SERVICE_API_SECRET: apiSecret } = e;
  if (baseUrl !== undefined && apiVersion === 'v3' && serviceId !== undefined && token !== undefined) {
    return { kind: 'authlete', account: { apiVersion, baseUrl: withoutTrailingSlash(baseUrl), serviceId, serviceAccessToken: new Secret(token) } };
  }
  if (baseUrl !== undefined && apiVersion === 'v2' && apiKey !== undefined && apiSecret !== undefined) {
    return { kind: 'authlete', account: { apiVersion, baseUrl: withoutTrailingSlash(baseUrl), serviceApiKey: apiKey, serviceApiSecret: new Secret(apiSecret) } };
  }
  const managementBaseUrl = e.MOCK_MANAGEMENT_BASE_URL === undefined ? undefined : withoutTrailingSlash(e.MOCK_MANAGEMENT_BASE_URL);
  return { kind: 'embedded_mock', mock: { apiVersion, managementBaseUrl, unauthorizedOnClientConfigSupported: e.MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG } };
}

function toConfig(e: Parsed): GatewayConfig {
  return {
    authority: authorityOf(e),
    authleteCalls: { timeoutMs: e.AUTHLETE_TIMEOUT_MS, maxConnections: e.AUTHLETE_MAX_CONNECTIONS },
    http: {
      port: e.PORT,
      host: e.HOST,
      registrationPath: e.REGISTRATION_PATH,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    },
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
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, config: toConfig(parsed.data) };
}
