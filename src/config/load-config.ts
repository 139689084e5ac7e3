import { z } from 'zod';
import { Secret } from '../domain/secret';
import { EXPOSURE_ENV, toExposure } from './exposure-env';
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
  NODE_ENV: z.string().optional(),
  ...EXPOSURE_ENV,
});

type Parsed = z.infer<typeof schema>;

/** With none of the account variables set, outside production, the embedded mock answers; otherwise all are needed. */
function accountProblems(present: Env): string[] {
  const missing = ACCOUNT.filter((name) => present[name] === undefined);
  if (missing.length === ACCOUNT.length && present['NODE_ENV'] !== 'production') return [];
  const why = missing.length === ACCOUNT.length ? 'when NODE_ENV=production' : 'once any AUTHLETE_ account setting is given';
  return missing.map((name) => `${name} is required ${why}: ${ACCOUNT_PURPOSE[name]}`);
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
    exposure: toExposure(e),
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
