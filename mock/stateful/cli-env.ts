import { z } from 'zod';
import type { StatefulMockOptions } from './stateful-mock';

export type CliSettings = StatefulMockOptions & { readonly host: string; readonly port: number; readonly managementBaseUrl: string };

export type CliEnvResult = { readonly ok: true; readonly settings: CliSettings } | { readonly ok: false; readonly problems: readonly string[] };

type Env = Readonly<Record<string, string | undefined>>;

const PORT_RULE = 'must be a whole number from 0 to 65535';

function count(min: number, max: number) {
  const rule = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,9}$/, { error: rule })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: rule }).max(max, { error: rule }));
}

const schema = z.object({
  MOCK_HOST: z.string().default('127.0.0.1'),
  MOCK_PORT: z
    .string()
    .regex(/^\d{1,5}$/, { error: PORT_RULE })
    .transform(Number)
    .pipe(z.number().int().max(65_535, { error: PORT_RULE }))
    .default(4011),
  MOCK_MANAGEMENT_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http or https URL, such as http://localhost:8080/register' })
    // The client ID is appended as a path segment; a query or fragment would swallow it.
    .refine((value) => {
      const url = URL.parse(value);
      return url === null || (url.search === '' && url.hash === '');
    }, { error: 'must not carry a query or fragment' })
    .default('http://localhost:8080/register'),
  MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .default(true),
  MOCK_MAX_CLIENTS: count(1, 10_000_000).optional(),
  MOCK_MAX_METADATA_BYTES: count(256, 10 * 1024 * 1024).optional(),
  MOCK_SERVICE_ACCESS_TOKEN: z.string().optional(),
  MOCK_SERVICE_ID: z.string().optional(),
});

/** Reads the stand-alone mock's settings; an empty variable counts as unset, and a problem never quotes a value. */
export function readCliEnv(env: Env): CliEnvResult {
  const present = Object.fromEntries(Object.entries(env).filter(([name, value]) => name.startsWith('MOCK_') && value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`) };
  const e = parsed.data;
  return {
    ok: true,
    settings: {
      host: e.MOCK_HOST,
      port: e.MOCK_PORT,
      managementBaseUrl: e.MOCK_MANAGEMENT_BASE_URL,
      unauthorizedOnClientConfigSupported: e.MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG,
      limits: {
        ...(e.MOCK_MAX_CLIENTS !== undefined && { maxClients: e.MOCK_MAX_CLIENTS }),
        ...(e.MOCK_MAX_METADATA_BYTES !== undefined && { maxMetadataBytes: e.MOCK_MAX_METADATA_BYTES }),
      },
      ...(e.MOCK_SERVICE_ACCESS_TOKEN !== undefined && { serviceAccessToken: e.MOCK_SERVICE_ACCESS_TOKEN }),
      ...(e.MOCK_SERVICE_ID !== undefined && { serviceId: e.MOCK_SERVICE_ID }),
    },
  };
}
