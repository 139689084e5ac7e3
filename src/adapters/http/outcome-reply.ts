import { assertNever } from '../../domain/assert-never';
import type { AuthorityFailure } from '../../domain/authority-failure';
import type { RegistrationOutcome } from '../../domain/outcome';
import type { HttpReply } from './http-reply';
import { REPLIES } from './replies';

function relay(status: number, content: string, headers?: Record<string, string>): HttpReply {
  return { status, json: content, ...(headers && { headers }) };
}

/** The client learns only whether and when it may retry; the cause goes to the log, never into the body. */
/** The one table from a failed call to Authlete (a registration or an introspection) to what the client receives. */
export function unavailableReply(failure: AuthorityFailure): HttpReply {
  switch (failure.cause) {
    case 'timeout':
      return REPLIES.authorityTimedOut;
    case 'rate_limited':
    case 'overloaded':
    case 'circuit_open':
      return REPLIES.authorityBusy(failure.retryAfterSeconds);
    case 'abandoned':
      // Nobody is there to read it; it is what a client still waiting would have been told.
      return REPLIES.authorityBusy(1);
    case 'unreachable':
    case 'tls_failure':
    case 'connection_lost':
    case 'http_error':
    case 'malformed_answer':
    case 'unexpected_action':
      return REPLIES.authorityUnusable;
    default:
      return assertNever(failure);
  }
}

/** The one table from an outcome to what the client receives. */
export function outcomeReply(outcome: RegistrationOutcome): HttpReply {
  switch (outcome.kind) {
    case 'created':
      return relay(201, outcome.content);
    case 'ok':
    case 'updated':
      return relay(200, outcome.content);
    case 'deleted':
      return { status: 204 };
    case 'bad_request':
      return relay(400, outcome.content);
    case 'unauthorized':
      // RFC 6750 section 3: a rejected token is answered with a Bearer challenge.
      return relay(401, outcome.content, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    case 'internal_server_error':
      return relay(500, outcome.content);
    case 'authority_unavailable':
      return unavailableReply(outcome.failure);
    default:
      return assertNever(outcome);
  }
}
