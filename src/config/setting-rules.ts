import { isIP } from 'node:net';
import { z } from 'zod';
import { Secret } from '../domain/secret';

// The parse rules of settings read from the environment, shared by the gateway and the stand-alone mock. Every
// rule takes the raw string and says what is wrong without quoting it: a value can be a misplaced secret.

export function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,10}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }));
}

/** A whole number from `min` to `max`, or `off`. */
export function wholeNumberOrOff(min: number, max: number) {
  const number = wholeNumber(min, max);
  const message = `must be a whole number from ${min} to ${max}, or off`;
  return z.string().transform((value, ctx): number | 'off' => {
    if (value === 'off') return 'off';
    const parsed = number.safeParse(value);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

export const port = wholeNumber(0, 65_535);

/**
 * An http(s) URL that a path can be appended to: a query or fragment would swallow what follows. It carries no
 * user name or password: it is logged at start-up, and Authlete is called with a bearer token, not with these.
 */
export function baseUrl(example: string) {
  // An unparsable value has failed the URL check already; the checks after it speak only of parsable ones.
  const parsed = (value: string, holds: (url: URL) => boolean): boolean => {
    const url = URL.parse(value);
    return url === null || holds(url);
  };
  return z
    .url({ protocol: /^https?$/, error: `must be an http or https URL, such as ${example}` })
    .refine((value) => parsed(value, (url) => url.search === '' && url.hash === ''), { error: 'must not carry a query or fragment' })
    .refine((value) => parsed(value, (url) => url.username === '' && url.password === ''), { error: 'must not carry a user name or password' })
    .transform((value) => value.replace(/\/+$/, ''));
}

export const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

// RFC 1123 labels; a name whose last label is all digits would be a mistyped IPv4 address, not a name.
const DNS_NAME = /^(?=.{1,253}$)(?!.*\.\d+$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An address to listen on: checked here so that a typo is a configuration problem, not a getaddrinfo error. */
export const listenHost = z
  .string()
  .refine((value) => isIP(value) !== 0 || DNS_NAME.test(value), { error: 'must be an IP address or a DNS host name, such as 127.0.0.1, :: or localhost' });

/** A credential sent in a header: visible ASCII, so a stray space or a second newline in its file shows here, not as a 401. */
export const token = z.string().regex(/^[\x21-\x7E]+$/, { error: 'must be one line of visible ASCII characters without spaces' });

const secrets = z.registry<{ readonly secret: true }>();

/**
 * A credential: held as a Secret, and readable from a file named by `<NAME>_FILE` instead (the convention of
 * Docker and Kubernetes secrets). Marking a setting with this is all it takes to give it the `_FILE` variant.
 */
export function secret(rule: z.ZodType<string, string> = z.string()) {
  return rule
    .transform((value) => new Secret(value))
    .optional()
    .register(secrets, { secret: true });
}

export function isSecret(rule: z.core.$ZodType): boolean {
  return secrets.has(rule);
}
