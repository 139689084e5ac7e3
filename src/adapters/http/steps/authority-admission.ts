import type { AdmissionRefusal, AuthorityAdmission } from '../../../ports/authority-admission';
import { clientGone } from '../client-closed';
import { type Nothing, proceed, type RequestContext, type Step, stop, type StepResult } from '../pipeline';
import { REPLIES } from '../replies';

const PASSED = proceed({});

/** The 503 with Retry-After of a request that finds no place: every place taken, or the circuit open. */
function refused(ctx: RequestContext, refusal: AdmissionRefusal): StepResult<never> {
  ctx.state.failure = refusal;
  return stop(REPLIES.authorityBusy(refusal.retryAfterSeconds));
}

/**
 * Before anything of the request is read: with no place free, the client gets its 503 at once and its body is never
 * read. No place is taken here: that waits until the request is ready to be sent (authorityAdmission), so a client
 * slow to send holds none.
 */
export function authorityAvailable(admission: AuthorityAdmission): Step<unknown, Nothing> {
  return function authorityAvailable(ctx) {
    const refusal = admission.refusalNow();
    return refusal === undefined ? PASSED : refused(ctx, refusal);
  };
}

/**
 * A place among the calls to the authority, taken once the request is ready to be sent (its body read), and held
 * until the answer has gone out or the client has gone. A client slow to send its body holds no place meanwhile,
 * so slow uploads cannot keep every other request at 503.
 */
export function authorityAdmission(admission: AuthorityAdmission): Step<unknown, Nothing> {
  return function admitted(ctx) {
    // Gone while its body was decoded: the response has closed already, and a place taken now would never be given
    // back. It needs none: a call whose client has gone is not sent (CallGuard.call).
    if (clientGone(ctx)) return PASSED;
    const place = admission.reserve();
    if (!place.admitted) return refused(ctx, place.failure);
    // 'close' is emitted once per response; release() is idempotent anyway, so no once-wrapper is needed.
    ctx.res.on('close', place.release);
    return PASSED;
  };
}

/**
 * A step that itself asks the authority (the initial access token's introspection), holding a place for as long as
 * it runs: the place is given back when the step is done, since the request's body is read after it.
 */
export function holdingAPlace<Needs, Adds>(admission: AuthorityAdmission, step: Step<Needs, Adds> | undefined): Step<Needs, Adds> | undefined {
  if (step === undefined) return undefined;
  return async function holdingAPlace(ctx, found) {
    if (clientGone(ctx)) return step(ctx, found);
    const place = admission.reserve();
    if (!place.admitted) return refused(ctx, place.failure);
    // A client that hangs up gives its place back at once, as one waiting for its registration does.
    ctx.res.on('close', place.release);
    try {
      return await step(ctx, found);
    } finally {
      ctx.res.off('close', place.release);
      place.release();
    }
  };
}
