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

function required(what: string) {
  return z.string({ error: `is required: ${what}` }).min(1, { error: `is required: ${what}` });
}

// The router reads ':' and '*' as parameters, and a trailing slash would double up before the client ID.
const REGISTRATION_PATH = /^(\/[A-Za-z0-9._~!$&'()+,;=@-]+)+$/;

const schema = z.object({
  AUTHLETE_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http or https URL, such as https://us.authlete.com' })
    .refine(
      (value) => {
        // An unparsable value has failed the URL check already; this check speaks only of parsable ones.
        const url = URL.parse(value);
        return url === null || (url.search === '' && url.hash === '');
      },
      { error: 'must not carry a query or fragment' },
    ),
  AUTHLETE_SERVICE_ID: required('the Authlete service ID (API key)'),
  AUTHLETE_SERVICE_ACCESS_TOKEN: required('the service access token for that service'),
  AUTHLETE_TIMEOUT_MS: wholeNumber(1, 600_000, 10_000),
  AUTHLETE_MAX_CONNECTIONS: wholeNumber(1, 10_000, 128),
  PORT: wholeNumber(0, 65_535, 8080),
  HOST: z.string().min(1).optional(),
  REGISTRATION_PATH: z
    .string()
    .regex(REGISTRATION_PATH, { error: "must be an absolute path without a trailing slash, ':' or '*', such as /register" })
    .default('/register'),
  BODY_LIMIT_BYTES: wholeNumber(1024, 10 * 1024 * 1024, 64 * 1024),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
});

/** Reads the gateway's settings from the environment; an empty variable counts as unset. */
export function loadConfig(env: Env): ConfigResult {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    // Messages name the variable and the rule, never the value: some values are secrets.
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`) };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: {
      authlete: {
        baseUrl: e.AUTHLETE_BASE_URL.replace(/\/+$/, ''),
        serviceId: e.AUTHLETE_SERVICE_ID,
        serviceAccessToken: new Secret(e.AUTHLETE_SERVICE_ACCESS_TOKEN),
        timeoutMs: e.AUTHLETE_TIMEOUT_MS,
        maxConnections: e.AUTHLETE_MAX_CONNECTIONS,
      },
      http: { port: e.PORT, host: e.HOST, registrationPath: e.REGISTRATION_PATH, bodyLimitBytes: e.BODY_LIMIT_BYTES },
      logLevel: e.LOG_LEVEL,
    },
  };
}
