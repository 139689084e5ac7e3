import { clientIp } from '../client-ip';
import { limitKey } from '../limit-key';
import type { AnswerStep, Nothing, Step } from '../pipeline';
import { proceed } from '../pipeline';
import type { Controls } from '../controls';
import { refuseOverLimit } from './refuse-over-limit';

const PASSED = proceed({});

/**
 * LIMIT_AUTH_FAILURES_PER_IP, before anything else: an address that has failed to authenticate too often is
 * refused without asking Authlete, so registration access tokens cannot be guessed at speed. An address also has
 * at most the limit's count of requests in flight at this replica until they are answered: otherwise a burst of
 * guesses sent at once would all pass before the first failure is counted (with 30/1m and 256 in parallel, 256
 * guesses reached Authlete). A window then sees at most twice the count: the count, and those in flight when it
 * was reached.
 */
export function refuseAfterAuthFailures({ limits, metrics }: Controls): Step<unknown, Nothing> | undefined {
  const limit = limits.authFailuresPerIp;
  if (limit === undefined) return undefined;
  return function refuseAfterAuthFailures(ctx) {
    const key = limitKey(clientIp(ctx));
    const refusal = limit.refusal(key);
    if (refusal !== undefined) return refuseOverLimit(ctx, limit, refusal, metrics);
    const place = limit.hold(key);
    if (place.kind === 'exceeded') return refuseOverLimit(ctx, limit, place, metrics);
    // 'close' is emitted once per response, answered or cut off, so the place cannot be kept by a lost request.
    ctx.res.once('close', place.release);
    return PASSED;
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
    if (ctx.status === 401 || tokenRefused) void limit.count(limitKey(clientIp(ctx)));
  };
}
