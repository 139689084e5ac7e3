import { z } from 'zod';
import type { Answer, AuthorityAnswer } from '../../domain/authority-answer';
import type { AuthorityFailure } from '../../domain/authority-failure';
import { isRegistrationAction } from '../../domain/registration-action';

/** What openapi-fetch hands back for any Authlete call, before anything in it is trusted. */
export interface RawAnswer {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: { readonly status: number };
}

// Only what the gateway acts on is read; `client` and any field Authlete adds later are left alone.
const decision = z.object({
  action: z.string(),
  responseContent: z.string().optional(),
});

const callError = z.object({
  resultCode: z.string().optional(),
  resultMessage: z.string().optional(),
});

const MAX_ECHO = 200;

function clip(text: string): string {
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
}

function failure(reason: AuthorityFailure): Answer<never> {
  return { kind: 'failure', failure: reason };
}

function httpError(status: number, body: unknown): Answer<never> {
  const parsed = callError.safeParse(body);
  const result = parsed.success ? parsed.data : {};
  return failure({
    cause: 'http_error',
    status,
    ...(result.resultCode !== undefined && { resultCode: clip(result.resultCode) }),
    ...(result.resultMessage !== undefined && { resultMessage: clip(result.resultMessage) }),
  });
}

/** Turns Authlete's answer into a decision among the actions `isAction` knows, or names what is wrong with it. */
export function readDecision<A extends string>(answer: RawAnswer, isAction: (action: string) => action is A): Answer<A> {
  const { status } = answer.response;
  if (status !== 200) return httpError(status, answer.error ?? answer.data);
  const parsed = decision.safeParse(answer.data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'answer');
    return failure({ cause: 'malformed_answer', reason: `unusable ${[...new Set(fields)].join(', ')}` });
  }
  const { action, responseContent } = parsed.data;
  if (!isAction(action)) return failure({ cause: 'unexpected_action', action: clip(action) });
  return responseContent === undefined ? { kind: 'decision', action } : { kind: 'decision', action, responseContent };
}

/** Reads the answer to one of the four registration calls. */
export function readAnswer(answer: RawAnswer): AuthorityAnswer {
  return readDecision(answer, isRegistrationAction);
}
