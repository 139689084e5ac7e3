import type { AuthorityAdmission } from '../../../ports/authority-admission';
import { type Nothing, proceed, type Step, stop } from '../pipeline';
import { REPLIES } from '../replies';

/**
 * A place among the calls to the authority, taken before the body is read and held until the answer has gone
 * out (or the client has gone). With every place taken, or the circuit open, the client gets 503 with
 * Retry-After at once and its body is never read.
 */
export function authorityAdmission(admission: AuthorityAdmission): Step<unknown, Nothing> {
  return function admitted(ctx) {
    const place = admission.reserve();
    if (!place.admitted) {
      ctx.state.failure = place.failure;
      return stop(REPLIES.authorityBusy(place.failure.retryAfterSeconds));
    }
    // 'close' is emitted once per response; release() is idempotent anyway, so no once-wrapper is needed.
    ctx.res.on('close', place.release);
    return proceed({});
  };
}
