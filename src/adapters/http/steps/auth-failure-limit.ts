import { limitKey } from '../limit-key';
import type { AnswerStep, Nothing, Step } from '../pipeline';
import { proceed } from '../pipeline';
import type { Controls } from '../controls';
import { refuseOverLimit } from './refuse-over-limit';

const PASSED = proceed({});

/**
 * LIMIT_AUTH_FAILURES_PER_IP, before anything else: an address that has failed to authenticate too often is
 * refused without asking Authlete, so registration access tokens cannot be guessed at speed.
 */
export function refuseAfterAuthFailures({ limits, metrics }: Controls): Step<unknown, Nothing> | undefined {
  const limit = limits.authFailuresPerIp;
  if (limit === undefined) return undefined;
  return function refuseAfterAuthFailures(ctx) {
    const refusal = limit.refusal(limitKey(ctx.state.clientIp));
    return refusal === undefined ? PASSED : refuseOverLimit(ctx, limit, refusal, metrics);
  };
}

/**
 * On the registration endpoint the limit matters only with REGISTRATION_ACCESS=token: open registration has no
 * credential to guess, and its requests are spared the check.
 */
export function refuseAfterTokenFailures(controls: Controls): Step<unknown, Nothing> | undefined {
  return controls.registrationAccess === undefined ? undefined : refuseAfterAuthFailures(controls);
}

export function countTokenFailures(controls: Controls): AnswerStep | undefined {
  return controls.registrationAccess === undefined ? undefined : countAuthFailures(controls);
}

/**
 * Counts every 401 against the client's address, whether the gateway answered it (no or unusable credentials)
 * or Authlete did (a wrong token); and Authlete's BAD_REQUEST on a read, update or delete, which is how it refuses
 * a wrong token with `unauthorizedOnClientConfigSupported` off. An update's BAD_REQUEST may be its metadata's
 * fault instead, but the two cannot be told apart, and left uncounted a PUT with valid metadata would let tokens
 * be guessed without limit. The count is not awaited: the answer does not wait for the counter.
 */
export function countAuthFailures({ limits }: Controls): AnswerStep | undefined {
  const limit = limits.authFailuresPerIp;
  if (limit === undefined) return undefined;
  return function countAuthFailures(ctx, { outcome }) {
    const tokenRefused = outcome?.kind === 'bad_request' && ctx.state.operation !== 'register';
    if (ctx.status === 401 || tokenRefused) void limit.count(limitKey(ctx.state.clientIp));
  };
}
