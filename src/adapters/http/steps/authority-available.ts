import type { AuthorityAdmission } from '../../../ports/authority-admission';
import { type Nothing, proceed, type Step, stop } from '../pipeline';
import { REPLIES } from '../replies';

const PASSED = proceed({});

/**
 * Before anything of the request is read: with every place among the calls to the authority taken, or the circuit
 * open, the client gets 503 with Retry-After at once and its body is never read. No place is taken here: that
 * waits until the request is ready to be sent (authority-admission.ts), so a client slow to send holds none.
 */
export function authorityAvailable(admission: AuthorityAdmission): Step<unknown, Nothing> {
  return function authorityAvailable(ctx) {
    const refusal = admission.refusalNow();
    if (refusal === undefined) return PASSED;
    ctx.state.failure = refusal;
    return stop(REPLIES.authorityBusy(refusal.retryAfterSeconds));
  };
}
