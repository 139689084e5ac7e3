import { ACCOUNT_SETTINGS, FOREIGN_ACCOUNT_SETTINGS, GATEWAY_SETTINGS, toGatewayConfig, type AuthleteApiVersion, type GatewayConfig } from './gateway-config';
import { ignoredVariables } from './ignored-variables';
import { readSettings, type Env } from './read-settings';
import { isSecret } from './setting-rules';
import { PROBE_PATHS } from '../adapters/http/probe-paths';

export type ConfigResult =
  | {
      readonly ok: true;
      readonly config: GatewayConfig;
      /** Variables named like settings that are none (see ignored-variables.ts), for a warning once the logger is up. */
      readonly ignored: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly string[] };

type SettingName = keyof typeof GATEWAY_SETTINGS;

const FOREIGN_ADVICE: Record<AuthleteApiVersion, string> = {
  v3: 'is an Authlete API v2 setting, but AUTHLETE_API_VERSION is v3 (the default): set AUTHLETE_API_VERSION=v2 for Authlete 2.x, or remove it',
  v2: 'is an Authlete API v3 setting, but AUTHLETE_API_VERSION is v2, which names the service by AUTHLETE_SERVICE_API_KEY and AUTHLETE_SERVICE_API_SECRET: remove it',
};

/**
 * With none of the account settings given, outside production, the embedded mock answers; otherwise all of the
 * chosen API version's are needed, and none of the other version's may be given (one line for each).
 */
function accountProblems(present: Readonly<Record<string, string>>): string[] {
  const version: AuthleteApiVersion = present['AUTHLETE_API_VERSION'] === 'v2' ? 'v2' : 'v3';
  // A secret given as a file counts as given, even when the file could not be read (that is its own problem).
  const given = (name: SettingName): boolean => present[name] !== undefined || (isSecret(GATEWAY_SETTINGS[name]) && present[`${name}_FILE`] !== undefined);
  const purposes: Readonly<Partial<Record<SettingName, string>>> = ACCOUNT_SETTINGS[version];
  const wanted = Object.keys(purposes) as SettingName[];
  const foreign = FOREIGN_ACCOUNT_SETTINGS[version].filter(given);
  const missing = wanted.filter((name) => !given(name));
  const noneGiven = missing.length === wanted.length && foreign.length === 0;
  if (noneGiven && present['NODE_ENV'] !== 'production') return [];
  const why = noneGiven ? 'when NODE_ENV=production' : `for Authlete API ${version} once any AUTHLETE_ account setting is given`;
  return [
    ...foreign.map((name) => `${name} ${FOREIGN_ADVICE[version]}`),
    ...missing.map((name) => `${name} is required ${why}: ${purposes[name] ?? ''}`),
  ];
}

/**
 * One listener serves both when the ports are equal: a different ADMIN_HOST would then be silently ignored, and a
 * REGISTRATION_PATH over a probe's path (/health: the client IDs `live` and `ready`) would hide the probe or the client.
 */
function listenerProblems(config: GatewayConfig): string[] {
  const { admin, http } = config;
  if (!admin.sharesPublicListener) return [];
  const problems: string[] = [];
  if (admin.host !== http.host) problems.push('ADMIN_HOST must be unset or equal to HOST when ADMIN_PORT equals PORT: one listener serves both');
  const path = http.registrationPath;
  const hidden = [...PROBE_PATHS].filter((probe) => probe === path || probe.startsWith(`${path}/`));
  if (hidden.length > 0) {
    problems.push(`REGISTRATION_PATH must not be or hold a probe's path (${hidden.join(', ')}) when ADMIN_PORT equals PORT: one listener serves both`);
  }
  return problems;
}

/**
 * The per-address connection cap counts the socket's peer: behind proxies that is the proxy, and the cap would hold
 * every client behind it to that many connections together.
 */
function connectionProblems(config: GatewayConfig): string[] {
  const { maxConnections, maxConnectionsPerAddress } = config.http;
  if (maxConnectionsPerAddress === undefined) return [];
  const problems: string[] = [];
  if (config.exposure.trustProxyHops > 0) {
    problems.push('MAX_CONNECTIONS_PER_IP must be off when TRUST_PROXY_HOPS is above 0: it counts the connection\'s peer, which is then the proxy, so every client behind it would share one cap; cap connections per client at the proxy');
  }
  if (maxConnectionsPerAddress > maxConnections) problems.push(`MAX_CONNECTIONS_PER_IP must be at most MAX_CONNECTIONS (${maxConnections})`);
  return problems;
}

/** Reads the gateway's settings from the environment (or an object of overrides shaped like it). */
export function loadConfig(env: Env): ConfigResult {
  const read = readSettings(GATEWAY_SETTINGS, env, accountProblems);
  if (!read.ok) return read;
  const config = toGatewayConfig(read.settings);
  const problems = [...listenerProblems(config), ...connectionProblems(config)];
  return problems.length === 0 ? { ok: true, config, ignored: ignoredVariables(env) } : { ok: false, problems };
}
