import { checkCredentials } from '../adapters/authlete/credential-check';
import type { Logger } from '../adapters/logging/create-logger';
import type { AuthleteSettings, StartupCheck } from '../config/gateway-config';
import type { RegistrationAuthority } from '../ports/registration-authority';

/** A failed start-up check under AUTHLETE_STARTUP_CHECK=fail: the process stops with exit code 1. */
export class StartupCheckFailed extends Error {
  constructor(fix: string) {
    super(`the start-up credential check failed (AUTHLETE_STARTUP_CHECK=fail): ${fix}`);
    this.name = 'StartupCheckFailed';
  }
}

/**
 * Proves at start that Authlete takes the configured base URL, service ID and token, and logs the result:
 * `info` when it does, `error` with what to fix when it does not. Made before the gateway listens, so a
 * misconfigured gateway under `fail` never takes traffic, and a probe never waits on it.
 */
export async function runStartupCheck(
  mode: StartupCheck,
  authority: RegistrationAuthority,
  settings: AuthleteSettings,
  logger: Logger,
  stopSignal?: AbortSignal,
): Promise<void> {
  if (mode === 'off') return;
  const started = performance.now();
  const result = await checkCredentials(authority, settings);
  // Stopped during the check, the gateway has cut its call short: that proves nothing about the credentials.
  if (stopSignal?.aborted === true) return;
  const durationMs = Math.round(performance.now() - started);
  // Which service: v3 names it by its ID, v2 by its API key; neither is a secret.
  const service = settings.apiVersion === 'v2' ? { serviceApiKey: settings.serviceApiKey } : { serviceId: settings.serviceId };
  const where = { authlete: settings.baseUrl, apiVersion: settings.apiVersion, ...service, durationMs };
  if (result.kind === 'accepted') {
    logger.info({ ...where, check: 'passed' }, 'start-up check: Authlete accepts the service credentials');
    return;
  }
  logger.error({ ...where, check: 'failed', failure: result.failure, fix: result.fix }, `start-up check failed: ${result.fix}`);
  logger.flush();
  if (mode === 'fail') throw new StartupCheckFailed(result.fix);
}
