import type { IncomingMessage } from 'node:http';
import type { MockAnswer } from './answer';
import { assertNever } from './assert-never';
import { readCall } from './call-request';
import { decisionFor } from './decision-for-call';
import { mintToken } from './mint-token';
import type { MockState } from './mock-state';
import { readBody, type BodyLimits } from './read-body';
import { CALL_FAILURE, callFailure } from './result-codes';
import { routeOf } from './route';
import { checkServiceAccess, type ServiceAccess } from './service-access';

/** Takes one call from the request line to the answer; undefined when the caller left before sending its body. */
export async function answerCall(req: IncomingMessage, access: ServiceAccess, limits: BodyLimits, state: MockState): Promise<MockAnswer | undefined> {
  const route = routeOf(req.url ?? '/');
  if (route.kind === 'not_found') return callFailure(CALL_FAILURE.notFound);
  if (req.method !== 'POST') return callFailure(CALL_FAILURE.methodNotAllowed);
  if (route.kind === 'mint') {
    const body = await readBody(req, limits);
    return body.kind === 'aborted' ? undefined : body.kind === 'body' ? mintToken(state, body.text) : callFailure(CALL_FAILURE.tooLarge, undefined, true);
  }

  const verdict = checkServiceAccess(access, req.headers, route);
  switch (verdict) {
    case 'granted':
      break;
    case 'no_valid_token':
      return callFailure(CALL_FAILURE.serviceToken);
    case 'no_valid_credentials':
      return callFailure(CALL_FAILURE.serviceCredentials);
    case 'other_service':
      return callFailure(CALL_FAILURE.serviceId);
    default:
      return assertNever(verdict);
  }

  const body = await readBody(req, limits);
  switch (body.kind) {
    case 'body':
      break;
    case 'too_large':
      return callFailure(CALL_FAILURE.tooLarge, undefined, true);
    case 'too_slow':
      return callFailure(CALL_FAILURE.tooSlow, undefined, true);
    case 'aborted':
      return undefined;
    default:
      return assertNever(body);
  }

  const call = readCall(route.operation, body.text);
  if (!call.ok) return call.problem === 'not_json' ? callFailure(CALL_FAILURE.notJson) : callFailure(CALL_FAILURE.contract, call.detail);
  return decisionFor(state, call.call);
}
