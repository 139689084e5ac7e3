import type { MockAnswer } from './answer';
import { decided } from './answer';
import { assertNever } from './assert-never';
import type { CallRequest } from './call-request';
import { decideDelete, decideRead, decideUpdate } from './decide-management';
import { decideRegister } from './decide-register';
import type { MockState } from './mock-state';

/** The decision on a well-formed call, as Authlete would take it. */
export function decide(state: MockState, call: CallRequest): MockAnswer {
  switch (call.operation) {
    case 'register':
      // The initial access token (call.token) is accepted and ignored: the mock runs open registration.
      return decided(decideRegister(state, call.json));
    case 'read':
      return decided(decideRead(state, call));
    case 'update':
      return decided(decideUpdate(state, call));
    case 'delete':
      return decided(decideDelete(state, call));
    default:
      return assertNever(call);
  }
}
