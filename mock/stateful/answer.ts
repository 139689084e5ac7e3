import type { ClientView } from './client-information';
import type { ActionOf, Operation } from './operation';

/** Statuses of a failed call; 404 and 405 lie outside openapi/authlete.yaml, as any path or verb it does not list. */
export type CallFailureStatus = 400 | 401 | 403 | 404 | 405 | 500;

/** An HTTP 200 answer: Authlete's decision on the client's request. */
export interface Decision<O extends Operation = Operation> {
  readonly resultCode: string;
  readonly resultMessage: string;
  readonly action: ActionOf[O];
  readonly responseContent?: string;
  readonly client?: ClientView;
}

/** An HTTP 200 answer of the introspection API: the verdict on an access token and the scopes asked for. */
export interface TokenVerdict {
  readonly resultCode: string;
  readonly resultMessage: string;
  readonly action: ActionOf['introspect'];
  /** On every action but OK: the value for the WWW-Authenticate header. */
  readonly responseContent?: string;
  readonly clientId?: number;
  readonly subject?: string;
  readonly scopes?: readonly string[];
  readonly expiresAt?: number;
  readonly usable?: boolean;
  readonly sufficient?: boolean;
}

/** What the mock's own token endpoint hands out (RFC 6749 section 5.1 field names). */
export interface MintedToken {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

export type MockAnswer =
  | { readonly kind: 'decision'; readonly decision: Decision | TokenVerdict }
  | { readonly kind: 'minted'; readonly token: MintedToken }
  /** The caller's own call failed (credentials, service, path, body): only resultCode and resultMessage. */
  | {
      readonly kind: 'call_failure';
      readonly status: CallFailureStatus;
      readonly resultCode: string;
      readonly resultMessage: string;
      /** Set when the request body was not read to its end, so the connection cannot carry another request. */
      readonly closeConnection?: boolean;
    };

export function decided<O extends Operation>(decision: Decision<O>): MockAnswer {
  return { kind: 'decision', decision };
}
