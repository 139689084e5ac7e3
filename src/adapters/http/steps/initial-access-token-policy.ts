import { assertNever } from '../../../domain/assert-never';
import type { AccessOutcome } from '../../../domain/registration-access';
import type { Secret } from '../../../domain/secret';
import { clientGone } from '../client-closed';
import type { HttpReply } from '../http-reply';
import { unavailableReply } from '../outcome-reply';
import { type Nothing, proceed, type RequestContext, type Step, stop, type StepResult } from '../pipeline';
import { REPLIES } from '../replies';
import type { Controls } from '../controls';

const PASSED = proceed({});

/** The table from the token check's outcome to the refusal the client receives. */
function accessReply(outcome: Exclude<AccessOutcome, { kind: 'granted' }>): HttpReply {
  switch (outcome.kind) {
    case 'token_missing':
      return REPLIES.initialAccessTokenMissing;
    case 'unauthorized':
      return REPLIES.initialAccessTokenRejected(outcome.challenge);
    case 'forbidden':
      return REPLIES.initialAccessTokenInsufficient(outcome.challenge);
    case 'bad_request':
      return REPLIES.initialAccessTokenUnreadable(outcome.challenge);
    case 'internal_server_error':
      return REPLIES.initialAccessTokenUncheckable(outcome.challenge);
    case 'authority_unavailable':
      // The same answer as a failed registration call: Authlete's 429/503 is a 503 with its Retry-After, not a 502.
      return unavailableReply(outcome.failure);
    default:
      return assertNever(outcome);
  }
}

function refuse(ctx: RequestContext, outcome: Exclude<AccessOutcome, { kind: 'granted' }>): StepResult<never> {
  // Authlete failing to judge the token is no refusal by the policy: it is logged, counted and left out of the
  // audit trail like a failed registration call, so an alert on authority_unavailable sees an introspection outage.
  if (outcome.kind === 'authority_unavailable') {
    // A client gone before its token was sent for introspection: logged as it hanging up, not as Authlete failing.
    ctx.state.outcome = outcome.failure.cause === 'abandoned' ? 'client_closed' : 'authority_unavailable';
    ctx.state.failure = outcome.failure;
  } else if (outcome.kind === 'internal_server_error') {
    ctx.state.outcome = 'internal_server_error';
    ctx.state.authleteServerError = true;
  } else {
    ctx.state.refusedBy = 'token_policy';
  }
  return stop(accessReply(outcome));
}

/**
 * REGISTRATION_ACCESS=token: the registration's initial access token must pass Authlete's introspection with
 * REGISTRATION_TOKEN_SCOPES before the registration itself is asked for; it is then passed on as before.
 */
export function initialAccessTokenPolicy({ registrationAccess }: Controls): Step<{ initialAccessToken?: Secret }, Nothing> | undefined {
  if (registrationAccess === undefined) return undefined;
  return async function initialAccessTokenPolicy(ctx, found) {
    const outcome = await registrationAccess.check(found.initialAccessToken, () => clientGone(ctx));
    return outcome.kind === 'granted' ? PASSED : refuse(ctx, outcome);
  };
}
