import { GATEWAY_SETTINGS } from './gateway-config';
import type { Env } from './read-settings';
import { isSecret } from './setting-rules';

/** Beginnings that only this gateway's settings have; PORT, HOST, LOG_ and OTEL_ are too common to judge, and MOCK_ is the stateful mock's too. */
const OWN_PREFIXES = ['AUTHLETE_', 'LIMIT_', 'RATE_LIMIT_', 'REGISTRATION_', 'CORS_', 'AUDIT_', 'TRUST_PROXY', 'BODY_', 'SHUTDOWN_', 'KEEP_ALIVE', 'MAX_CONNECTION', 'ADMIN_'];

/** What Kubernetes sets for each Service in the namespace: a Service named authlete gives AUTHLETE_SERVICE_HOST, AUTHLETE_PORT. */
const SERVICE_LINK = /_SERVICE_HOST$|_SERVICE_PORT(_[A-Z0-9_]+)?$|_PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?$/;

const KNOWN: ReadonlySet<string> = new Set(
  Object.entries(GATEWAY_SETTINGS).flatMap(([name, rule]) => (isSecret(rule) ? [name, `${name}_FILE`] : [name])),
);

/**
 * Names set in the environment that look like this gateway's settings but are none of them: a misspelt
 * LIMIT_REGISTRATION_PER_IP would otherwise leave the default in force without a word. Names only, never values.
 */
export function ignoredVariables(env: Env): string[] {
  return Object.keys(env)
    .filter((name) => (env[name] ?? '') !== '' && OWN_PREFIXES.some((prefix) => name.startsWith(prefix)) && !KNOWN.has(name) && !SERVICE_LINK.test(name))
    .sort();
}
