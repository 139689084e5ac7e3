import type { MockAnswer } from './answer';
import { CALL_FAILURE, callFailure } from './result-codes';
import { decided } from './answer';
import { assertNever } from './assert-never';
import type { CallRequest } from './call-request';
import { deletionDecision, readDecision, updateDecision } from './management-decisions';
import { introspectionVerdict } from './introspection-verdict';
import { registrationDecision } from './registration-decision';
import type { MockState } from './mock-state';

/** The decision on a well-formed call, as Authlete would take it. */
export function decisionFor(state: MockState, call: CallRequest): MockAnswer {
  switch (call.operation) {
    case 'register':
      if (state.store.size >= state.limits.maxClients) return callFailure(CALL_FAILURE.storeFull);
      // The initial access token (call.token) is accepted and ignored: the mock runs open registration.
      return decided(registrationDecision(state, call.json));
    case 'read':
      return decided(readDecision(state, call));
    case 'update':
      return decided(updateDecision(state, call));
    case 'delete':
      return decided(deletionDecision(state, call));
    case 'introspect':
      return { kind: 'decision', decision: introspectionVerdict(state, call) };
    default:
      return assertNever(call);
  }
}
