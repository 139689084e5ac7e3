import { z } from 'zod';
import type { LimitRule } from '../domain/limits';
import { Secret } from '../domain/secret';
import type { AuditDestination, CorsSettings, ExposureSettings } from './exposure-settings';

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
const LIMIT = /^(\d{1,9})\/(\d{1,7})([smhd])$/;
const MAX_WINDOW_SECONDS = 30 * 86_400;

function limit(fallback: string) {
  const message = 'must be a count per duration such as 20/1h, 3/1m or 100/30s (units s, m, h, d; at most 30d), or off';
  return z
    .string()
    .default(fallback)
    .transform((value, ctx): LimitRule | undefined => {
      if (value === 'off') return undefined;
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
  .default('client.register')
  .transform((value) => value.split(/\s+/).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((scope) => SCOPE_TOKEN.test(scope)), {
    error: 'must be one or more OAuth scopes separated by spaces, such as client.register',
  });

function isOrigin(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
}

const corsOrigins = z
  .string()
  .optional()
  .transform((value): CorsSettings => {
    if (value === undefined) return undefined;
    if (value.trim() === '*') return { allowedOrigins: '*' };
    return { allowedOrigins: value.split(/[\s,]+/).filter(Boolean) };
  })
  .refine((cors) => cors === undefined || cors.allowedOrigins === '*' || cors.allowedOrigins.every(isOrigin), {
    error: 'must be * or a list of origins separated by commas, each written as scheme://host[:port] in lower case, without a path or trailing slash',
  });

const audit = z
  .string()
  .default('off')
  .transform((value): AuditDestination => {
    if (value === 'off' || value === 'stdout' || value === 'stderr') return { kind: value };
    return { kind: 'file', path: value };
  });

const redisUrl = z
  .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL, such as redis://redis:6379' })
  .optional();

function wholeNumber(min: number, max: number, fallback: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,10}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
    .default(fallback);
}

/** The settings of an endpoint facing the internet, as environment variables; merged into the gateway's schema. */
export const EXPOSURE_ENV = {
  REGISTRATION_ACCESS: z.enum(['open', 'token'], { error: 'must be open or token' }).default('open'),
  REGISTRATION_TOKEN_SCOPES: scopes,
  LIMIT_REGISTRATIONS_PER_IP: limit('20/1h'),
  LIMIT_REGISTRATIONS_TOTAL: limit('1000/1d'),
  LIMIT_AUTH_FAILURES_PER_IP: limit('30/1m'),
  RATE_LIMIT_REDIS_URL: redisUrl,
  RATE_LIMIT_REDIS_TIMEOUT_MS: wholeNumber(1, 10_000, 100),
  CORS_ALLOWED_ORIGINS: corsOrigins,
  AUDIT_LOG: audit,
  TRUST_PROXY_HOPS: wholeNumber(0, 10, 0),
};

const exposureSchema = z.object(EXPOSURE_ENV);

export function toExposure(e: z.infer<typeof exposureSchema>): ExposureSettings {
  return {
    registrationAccess: e.REGISTRATION_ACCESS === 'token' ? { kind: 'token', scopes: e.REGISTRATION_TOKEN_SCOPES } : { kind: 'open' },
    limits: {
      registrationsPerIp: e.LIMIT_REGISTRATIONS_PER_IP,
      registrationsTotal: e.LIMIT_REGISTRATIONS_TOTAL,
      authFailuresPerIp: e.LIMIT_AUTH_FAILURES_PER_IP,
      redis: e.RATE_LIMIT_REDIS_URL === undefined ? undefined : { url: new Secret(e.RATE_LIMIT_REDIS_URL), timeoutMs: e.RATE_LIMIT_REDIS_TIMEOUT_MS },
    },
    cors: e.CORS_ALLOWED_ORIGINS,
    audit: e.AUDIT_LOG,
    trustProxyHops: e.TRUST_PROXY_HOPS,
  };
}
