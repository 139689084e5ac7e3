import { z } from 'zod';
import type { Answer, AuthorityAnswer } from '../../domain/authority-answer';
import type { AuthorityFailure } from '../../domain/authority-failure';
import { isRegistrationAction } from '../../domain/registration-action';
import type { ForeignTextScrubber } from '../logging/foreign-text';
import { retryAfterSeconds } from './retry-after';

/** What openapi-fetch hands back for any Authlete call, before anything in it is trusted. */
export interface RawAnswer {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: { readonly status: number; readonly headers: { get(name: string): string | null } };
}

/** Authlete's statuses for "not now": its rate limit, and its own overload or maintenance. */
const BUSY = new Set([429, 503]);

// Only what the gateway acts on is read; `client` and any field Authlete adds later are left alone.
const decision = z.object({
  action: z.string(),
  responseContent: z.string().optional(),
});

const callError = z.object({
  resultCode: z.string().optional(),
  resultMessage: z.string().optional(),
});

function failure(reason: AuthorityFailure): Answer<never> {
  return { kind: 'failure', failure: reason };
}

function httpError(status: number, body: unknown, scrubberOfCall: () => ForeignTextScrubber): Answer<never> {
  const parsed = callError.safeParse(body);
  const result = parsed.success ? parsed.data : {};
  const scrubber = scrubberOfCall();
  return failure({
    cause: 'http_error',
    status,
    ...(result.resultCode !== undefined && { resultCode: scrubber.clean(result.resultCode) }),
    ...(result.resultMessage !== undefined && { resultMessage: scrubber.clean(result.resultMessage) }),
  });
}

/**
 * Turns Authlete's answer into a decision among the actions `isAction` knows, or names what is wrong with it.
 * Whatever of Authlete's own text is kept for the log goes through the call's scrubber, made only when there is
 * such text.
 */
export function readDecision<A extends string>(
  answer: RawAnswer,
  scrubberOfCall: () => ForeignTextScrubber,
  isAction: (action: string) => action is A,
): Answer<A> {
  const { status } = answer.response;
  if (BUSY.has(status)) return failure({ cause: 'rate_limited', status, retryAfterSeconds: retryAfterSeconds(answer.response.headers) });
  if (status !== 200) return httpError(status, answer.error ?? answer.data, scrubberOfCall);
  const parsed = decision.safeParse(answer.data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'answer');
    return failure({ cause: 'malformed_answer', reason: `unusable ${[...new Set(fields)].join(', ')}` });
  }
  const { action, responseContent } = parsed.data;
  if (!isAction(action)) return failure({ cause: 'unexpected_action', action: scrubberOfCall().clean(action) });
  return responseContent === undefined ? { kind: 'decision', action } : { kind: 'decision', action, responseContent };
}

/** Reads the answer to one of the four registration calls. */
export function readAnswer(answer: RawAnswer, scrubberOfCall: () => ForeignTextScrubber): AuthorityAnswer {
  return readDecision(answer, scrubberOfCall, isRegistrationAction);
}
