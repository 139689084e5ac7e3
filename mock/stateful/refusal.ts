/** The OAuth error codes the mock writes into `responseContent` when it refuses a request. */
export type OAuthError = 'invalid_client_metadata' | 'invalid_redirect_uri' | 'invalid_request' | 'invalid_token';

/**
 * Why a request was refused, before it is tied to an operation. `problem` is the last three digits of the
 * mock's result code (the operation supplies the first part), so one rule keeps one number everywhere.
 */
export interface Refusal {
  readonly error: OAuthError;
  readonly problem: ProblemNumber;
  /** Short and human; becomes resultMessage and error_description, so it never carries a token or secret. */
  readonly message: string;
}

/** The mock's own problem numbers (mock/stateful/README.md lists them with their OAuth error codes). */
export const PROBLEM = {
  metadataNotObject: '201',
  metadataWrongType: '202',
  redirectUriInvalid: '203',
  redirectUriMissing: '204',
  clientIdMismatch: '205',
  issuedFieldSent: '206',
  clientSecretMismatch: '207',
  tokenRefusedAsBadRequest: '208',
  metadataTooLarge: '209',
  metadataTooDeep: '210',
  tokenRefused: '301',
  scopeNotCovered: '302',
} as const;

export type ProblemNumber = (typeof PROBLEM)[keyof typeof PROBLEM];

export function refusal(error: OAuthError, problem: ProblemNumber, message: string): Refusal {
  return { error, problem, message };
}
