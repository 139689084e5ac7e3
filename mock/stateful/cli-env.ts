import { z } from 'zod';
import { readSettings, type Env } from '../../src/config/read-settings';
import { baseUrl, flag, listenHost, port, secret, token, wholeNumber } from '../../src/config/setting-rules';
import type { StatefulMockOptions } from './stateful-mock';

export type CliSettings = StatefulMockOptions & { readonly host: string; readonly port: number; readonly managementBaseUrl: string };

export type CliEnvResult = { readonly ok: true; readonly settings: CliSettings } | { readonly ok: false; readonly problems: readonly string[] };

// The gateway's own rules: a value one of them accepts is accepted by the other.
const MOCK_SETTINGS = {
  MOCK_HOST: listenHost.default('127.0.0.1'),
  MOCK_PORT: port.default(4011),
  MOCK_MANAGEMENT_BASE_URL: baseUrl('http://localhost:8080/register').default('http://localhost:8080/register'),
  MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: flag.default(true),
  MOCK_MAX_CLIENTS: wholeNumber(1, 10_000_000).optional(),
  MOCK_MAX_METADATA_BYTES: wholeNumber(256, 10 * 1024 * 1024).optional(),
  MOCK_SERVICE_ACCESS_TOKEN: secret(token),
  MOCK_SERVICE_ID: z.string().optional(),
  MOCK_SERVICE_API_KEY: z.string().optional(),
  MOCK_SERVICE_API_SECRET: secret(token),
};

/** Reads the stand-alone mock's settings; an empty variable counts as unset, and a problem never quotes a value. */
export function readCliEnv(env: Env): CliEnvResult {
  const read = readSettings(MOCK_SETTINGS, env);
  if (!read.ok) return read;
  const e = read.settings;
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
      ...(e.MOCK_SERVICE_ACCESS_TOKEN !== undefined && { serviceAccessToken: e.MOCK_SERVICE_ACCESS_TOKEN.reveal() }),
      ...(e.MOCK_SERVICE_ID !== undefined && { serviceId: e.MOCK_SERVICE_ID }),
      ...(e.MOCK_SERVICE_API_KEY !== undefined && { serviceApiKey: e.MOCK_SERVICE_API_KEY }),
      ...(e.MOCK_SERVICE_API_SECRET !== undefined && { serviceApiSecret: e.MOCK_SERVICE_API_SECRET.reveal() }),
    },
  };
}
