import { clientIp } from '../client-ip';
import { limitKey } from '../limit-key';
import type { Held, Waiting } from '../../../ports/limit';
import type { AnswerStep, Nothing, RequestContext, Step, StepResult } from '../pipeline';
import { proceed, stop } from '../pipeline';
import { REPLIES } from '../replies';
import type { Controls } from '../controls';
import { refuseOverLimit } from './refuse-over-limit';

const PASSED = proceed({});

/**
 * LIMIT_AUTH_FAILURES_PER_IP, before anything else: an address that has failed to authenticate too often is
 * refused without asking Authlete, so registration access tokens cannot be guessed at speed. An address also has
 * at most the limit's count of requests in flight at this replica; the next ones wait in order for a place and are
 * checked again once they have it. Otherwise a burst of guesses sent at once would all pass before the first
 * failure is counted (a burst of 200 with 30/1m: 180 reached Authlete; now 59, at most twice the count, since
 * places freed before the count's last failure is recorded let their waiters through).
 */
export function refuseAfterAuthFailures({ limits, metrics }: Controls): Step<unknown, Nothing> | undefined {
  const limit = limits.authFailuresPerIp;
  if (limit === undefined) return undefined;
  const refused = (ctx: RequestContext, key: string): StepResult<Nothing> | undefined => {
    const refusal = limit.refusal(key);
    return refusal === undefined ? undefined : refuseOverLimit(ctx, limit, refusal, metrics);
  };
  const holding = (ctx: RequestContext, place: Held): StepResult<Nothing> => {
    // 'close' is emitted once per response, answered or cut off, so a lost request cannot keep its place.
    ctx.res.once('close', place.release);
    return PASSED;
  };
  const waitForAPlace = async (ctx: RequestContext, key: string, waiting: Waiting): Promise<StepResult<Nothing>> => {
    ctx.res.once('close', waiting.cancel);
    const place = await waiting.place;
    ctx.res.off('close', waiting.cancel);
    if (place === undefined || ctx.res.destroyed) {
      place?.release();
      // Nobody is left to read it; the log says the client hung up, and what it would have got.
      ctx.state.outcome = 'client_closed';
      return stop(REPLIES.rateLimited({ limit: limit.name, rule: limit.rule, retryAfterSeconds: 1 }));
    }
    const refusal = refused(ctx, key);
    if (refusal === undefined) return holding(ctx, place);
    place.release();
    return refusal;
  };
  return function refuseAfterAuthFailures(ctx) {
    const key = limitKey(clientIp(ctx));
    const refusal = refused(ctx, key);
    if (refusal !== undefined) return refusal;
    const place = limit.hold(key);
    return place.kind === 'held' ? holding(ctx, place) : waitForAPlace(ctx, key, place);
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
