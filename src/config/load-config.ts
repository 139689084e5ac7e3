import { ACCOUNT_SETTINGS, GATEWAY_SETTINGS, toGatewayConfig, type GatewayConfig } from './gateway-config';
import { readSettings, type Env } from './read-settings';
import { isSecret } from './setting-rules';

export type ConfigResult = { readonly ok: true; readonly config: GatewayConfig } | { readonly ok: false; readonly problems: readonly string[] };

const ACCOUNT = Object.keys(ACCOUNT_SETTINGS) as (keyof typeof ACCOUNT_SETTINGS)[];

/** With none of the account variables set, outside production, the embedded mock answers; otherwise all are needed. */
function accountProblems(present: Readonly<Record<string, string>>): string[] {
  // A secret given as a file counts as given, even when the file could not be read (that is its own problem).
  const given = (name: (typeof ACCOUNT)[number]): boolean =>
    present[name] !== undefined || (isSecret(GATEWAY_SETTINGS[name]) && present[`${name}_FILE`] !== undefined);
  const missing = ACCOUNT.filter((name) => !given(name));
  if (missing.length === ACCOUNT.length && present['NODE_ENV'] !== 'production') return [];
  const why = missing.length === ACCOUNT.length ? 'when NODE_ENV=production' : 'once any AUTHLETE_ account setting is given';
  return missing.map((name) => `${name} is required ${why}: ${ACCOUNT_SETTINGS[name]}`);
}

/** Reads the gateway's settings from the environment (or an object of overrides shaped like it). */
export function loadConfig(env: Env): ConfigResult {
  const read = readSettings(GATEWAY_SETTINGS, env, accountProblems);
  return read.ok ? { ok: true, config: toGatewayConfig(read.settings) } : read;
}
