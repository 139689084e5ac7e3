import type { CallFailureStatus, MockAnswer } from './answer';
import type { Operation } from './operation';
import type { ProblemNumber } from './refusal';

// Authlete's result codes carry the API's number in digits 2-4 (A202xxx registration, A217xxx read, ...);
// the mock keeps that layout but starts its own codes with M, so nobody takes them for Authlete's.
const OPERATION_NUMBER: Readonly<Record<Operation, string>> = { register: '202', read: '217', update: '213', delete: '216', introspect: '056' };

/** The success codes Authlete documents, with messages in Authlete's style. */
export const SUCCESS: Readonly<Record<Operation, { readonly code: string; readonly message: string }>> = {
  register: { code: 'A202001', message: 'The client has been registered.' },
  read: { code: 'A217001', message: 'The client has been read.' },
  update: { code: 'A213001', message: 'The client has been updated.' },
  delete: { code: 'A216001', message: 'The client has been deleted.' },
  introspect: { code: 'A056001', message: 'The access token is valid.' },
};

export function withCode(code: string, message: string): string {
  return `[${code}] ${message}`;
}

export function refusalCode(operation: Operation, problem: ProblemNumber): string {
  return `M${OPERATION_NUMBER[operation]}${problem}`;
}

interface CallFailureRule {
  readonly status: CallFailureStatus;
  readonly code: string;
  readonly message: string;
}

/** Failures of the caller's own call, before any client is looked at. */
export const CALL_FAILURE = {
  notFound: { status: 404, code: 'M001404', message: 'No such API.' },
  methodNotAllowed: { status: 405, code: 'M001405', message: 'The API accepts only POST.' },
  serviceToken: { status: 401, code: 'M001101', message: 'The service access token is missing or invalid.' },
  serviceCredentials: { status: 401, code: 'M001102', message: 'The service API key and secret are missing or do not match.' },
  serviceId: { status: 403, code: 'M001103', message: 'The token has no permission for this service.' },
  notJson: { status: 400, code: 'M001201', message: 'The request body is not JSON.' },
  contract: { status: 400, code: 'M001202', message: 'The request body is malformed' },
  // 400 rather than 413: openapi/authlete.yaml declares no 413, and a caller reads any 400 as "my call was bad".
  tooLarge: { status: 400, code: 'M001203', message: 'The request body is too large.' },
  tooSlow: { status: 400, code: 'M001204', message: 'The request body did not arrive in time.' },
  // Like Authlete refusing the call for its service's client quota: the store is full, not the client's metadata wrong.
  storeFull: { status: 400, code: 'M001205', message: 'The mock keeps no more clients (MOCK_MAX_CLIENTS); delete some or restart it.' },
  internal: { status: 500, code: 'M001901', message: 'The mock failed to handle the call.' },
} as const satisfies Record<string, CallFailureRule>;

export function callFailure(rule: CallFailureRule, detail?: string, closeConnection = false): MockAnswer {
  const message = detail === undefined ? rule.message : `${rule.message}: ${detail}`;
  return {
    kind: 'call_failure',
    status: rule.status,
    resultCode: rule.code,
    resultMessage: withCode(rule.code, message),
    ...(closeConnection && { closeConnection }),
  };
}
