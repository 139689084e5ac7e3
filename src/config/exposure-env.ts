import { z } from 'zod';
import type { LimitRule } from '../domain/limits';
import type { AuditDestination, CorsSettings, ExposureSettings } from './exposure-settings';
import { oneOf, secret, wholeNumber } from './setting-rules';

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
const LIMIT = /^(\d{1,9})\/(\d{1,7})([smhd])$/;
const MAX_WINDOW_SECONDS = 30 * 86_400;

/** `count/duration` (20/1h, 3/1m, 100/30s) or `off`; kept as 'off' here, as zod reads undefined as "use the default". */
function limit() {
  const message = 'must be a count per duration such as 20/1h, 3/1m or 100/30s (units s, m, h, d; at most 30d), or off';
  return z.string().transform((value, ctx): LimitRule | 'off' => {
    if (value === 'off') return 'off';
    const match = LIMIT.exec(value);
    const count = Number(match?.[1]);
    const windowSeconds = Number(match?.[2]) * UNIT_SECONDS[(match?.[3] ?? 's') as keyof typeof UNIT_SECONDS];
    if (match === null || count < 1 || windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return { count, windowSeconds };
  });
}

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const scopes = z
  .string()
  .transform((value) => value.split(/\s+/).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((scope) => SCOPE_TOKEN.test(scope)), {
    error: 'must be one or more OAuth scopes separated by spaces, such as client.register',
  });

function isOrigin(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
}

// `https://*.example.com` parses as a URL, but the Origin a browser sends is compared as it stands: such an entry
// would match no page, and CORS would be off for every page the operator meant to allow.
const corsOrigins = z.string().transform((value, ctx): CorsSettings => {
  if (value.trim() === '*') return { allowedOrigins: '*' };
  const origins = value.split(/[\s,]+/).filter(Boolean);
  if (origins.some((origin) => origin.includes('*'))) {
    ctx.addIssue({
      code: 'custom',
      message: 'must not hold a wildcard within an origin, which is not supported: list each origin (https://a.example.com,https://b.example.com), or give * alone for any origin',
    });
  } else if (origins.length === 0 || !origins.every(isOrigin)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be * or a list of origins separated by commas, each written as scheme://host[:port] in lower case, without a path, a trailing slash or a default port (:443 for https, :80 for http)',
    });
  }
  return { allowedOrigins: origins };
});

const AUDIT_STREAMS = ['off', 'stdout', 'stderr'] as const;

function isAuditStream(value: string): value is (typeof AUDIT_STREAMS)[number] {
  return (AUDIT_STREAMS as readonly string[]).includes(value);
}

// LOG_LEVEL=INFO is refused, so AUDIT_LOG=STDOUT must not quietly become a file named STDOUT in the working directory.
const audit = z.string().transform((value, ctx): AuditDestination => {
  if (isAuditStream(value)) return { kind: value };
  const word = value.trim().toLowerCase();
  if (word === '') ctx.addIssue({ code: 'custom', message: 'must be stdout, stderr, off or the path of a file' });
  else if (isAuditStream(word)) {
    ctx.addIssue({ code: 'custom', message: 'must be stdout, stderr or off written in lower case without spaces; for a file of that name, give a path such as ./STDOUT' });
  }
  return { kind: 'file', path: value };
});

const REDIS_URL_FORM = 'must be a redis:// or rediss:// URL, such as redis://redis:6379';
const REDIS_DATABASE = /^\/?$|^\/\d{1,9}$/;

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the Redis client would refuse only once the gateway was starting, with a message naming neither the setting
 * nor what it takes ("Invalid pathname"), or take in a way nobody meant: no host (it would quietly be localhost), a
 * database that is no whole number, a password whose percent-encoding is broken, a query or fragment it ignores.
 */
function redisUrlProblem(url: URL): string | undefined {
  if (url.hostname === '') return `${REDIS_URL_FORM}, with a host`;
  if (!REDIS_DATABASE.test(url.pathname)) return `${REDIS_URL_FORM} or redis://redis:6379/2, whose database, if given, is a whole number`;
  if (!decodes(url.username) || !decodes(url.password)) return `${REDIS_URL_FORM}, with a % in its user or password written as %25`;
  if (url.search !== '' || url.hash !== '') return `${REDIS_URL_FORM}, without a query or fragment`;
  return undefined;
}

// It may carry Redis's password, hence a secret (and RATE_LIMIT_REDIS_URL_FILE).
const redisUrl = z.url({ protocol: /^rediss?$/, error: REDIS_URL_FORM }).superRefine((value, ctx) => {
  // One that does not parse at all has had its line already.
  const url = URL.parse(value);
  const problem = url === null ? undefined : redisUrlProblem(url);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** The settings of an endpoint facing the internet; part of the gateway's one settings schema. */
export const EXPOSURE_SETTINGS = {
  REGISTRATION_ACCESS: oneOf(['open', 'token']).default('open'),
  REGISTRATION_TOKEN_SCOPES: scopes.default(['client.register']),
  LIMIT_REGISTRATIONS_PER_IP: limit().default({ count: 20, windowSeconds: 3_600 }),
  LIMIT_REGISTRATIONS_TOTAL: limit().default({ count: 1_000, windowSeconds: 86_400 }),
  LIMIT_AUTH_FAILURES_PER_IP: limit().default({ count: 30, windowSeconds: 60 }),
  RATE_LIMIT_REDIS_URL: secret(redisUrl),
  RATE_LIMIT_REDIS_TIMEOUT_MS: wholeNumber(1, 10_000).default(100),
  CORS_ALLOWED_ORIGINS: corsOrigins.optional(),
  AUDIT_LOG: audit.default({ kind: 'off' }),
  TRUST_PROXY_HOPS: wholeNumber(0, 10).default(0),
};

type ExposureEnv = z.output<z.ZodObject<typeof EXPOSURE_SETTINGS>>;

function onOrOff(rule: LimitRule | 'off'): LimitRule | undefined {
  return rule === 'off' ? undefined : rule;
}

export function toExposure(e: ExposureEnv): ExposureSettings {
  return {
    registrationAccess: e.REGISTRATION_ACCESS === 'token' ? { kind: 'token', scopes: e.REGISTRATION_TOKEN_SCOPES } : { kind: 'open' },
    limits: {
      registrationsPerIp: onOrOff(e.LIMIT_REGISTRATIONS_PER_IP),
      registrationsTotal: onOrOff(e.LIMIT_REGISTRATIONS_TOTAL),
      authFailuresPerIp: onOrOff(e.LIMIT_AUTH_FAILURES_PER_IP),
      redis: e.RATE_LIMIT_REDIS_URL === undefined ? undefined : { url: e.RATE_LIMIT_REDIS_URL, timeoutMs: e.RATE_LIMIT_REDIS_TIMEOUT_MS },
    },
    cors: e.CORS_ALLOWED_ORIGINS,
    audit: e.AUDIT_LOG,
    trustProxyHops: e.TRUST_PROXY_HOPS,
  };
}
