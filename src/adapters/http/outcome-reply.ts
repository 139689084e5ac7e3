import { assertNever } from '../../domain/assert-never';
import type { AuthorityFailure } from '../../domain/authority-failure';
import type { RegistrationOutcome } from '../../domain/outcome';
import { jsonError, type HttpReply } from './http-reply';

function relay(status: number, content: string, headers?: Record<string, string>): HttpReply {
  return { status, json: content, ...(headers && { headers }) };
}

export const GATEWAY_TIMEOUT = jsonError(504, 'server_error', 'The registration authority did not answer in time. Try again later.');
export const BAD_GATEWAY = jsonError(502, 'server_error', 'The registration authority could not be asked. Try again later.');

/** The authority cannot take this call now (overloaded, rate limiting, or being left alone to recover). */
export function temporarilyUnavailable(retryAfterSeconds: number): HttpReply {
  return jsonError(503, 'temporarily_unavailable', `The registration authority is busy. Try again in ${retryAfterSeconds} s.`, {
    'Retry-After': String(retryAfterSeconds),
  });
}

function unavailableReply(failure: AuthorityFailure): HttpReply {
  switch (failure.cause) {
    case 'timeout':
      return GATEWAY_TIMEOUT;
    case 'rate_limited':
    case 'overloaded':
    case 'circuit_open':
      return temporarilyUnavailable(failure.retryAfterSeconds);
    case 'unreachable':
    case 'connection_lost':
    case 'http_error':
    case 'malformed_answer':
    case 'unexpected_action':
      return BAD_GATEWAY;
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
      // The client learns only that it may retry; the cause goes to the log, never into the body.
      return unavailableReply(outcome.failure);
    default:
      return assertNever(outcome);
  }
}
