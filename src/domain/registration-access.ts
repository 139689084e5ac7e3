import type { InitialAccessTokenChecker } from '../ports/initial-access-token-checker';
import { assertNever } from './assert-never';
import type { AuthorityFailure } from './authority-failure';
import type { Secret } from './secret';

/**
 * How the check of a registration's initial access token ends. `challenge` is what Authlete wrote for the
 * WWW-Authenticate header (untrusted text: the checker has left out one that quotes the gateway's own
 * credentials, and the HTTP adapter vets its form before sending it).
 */
export type AccessOutcome =
  | { readonly kind: 'granted' }
  /** The registration carried no token at all: answered without asking anyone. */
  | { readonly kind: 'token_missing' }
  | { readonly kind: 'bad_request'; readonly challenge?: string }
  | { readonly kind: 'unauthorized'; readonly challenge?: string }
  | { readonly kind: 'forbidden'; readonly challenge?: string }
  | { readonly kind: 'internal_server_error'; readonly challenge?: string }
  | { readonly kind: 'authority_unavailable'; readonly failure: AuthorityFailure };

export type AccessOutcomeKind = AccessOutcome['kind'];

function refusal<K extends 'bad_request' | 'unauthorized' | 'forbidden' | 'internal_server_error'>(kind: K, challenge: string | undefined) {
  return challenge === undefined ? { kind } : { kind, challenge };
}

/**
 * `REGISTRATION_ACCESS=token`: a registration needs an initial access token that covers the configured scopes,
 * as the token checker (Authlete's introspection) judges it.
 */
export class RegistrationAccess {
  constructor(
    private readonly checker: InitialAccessTokenChecker,
    private readonly scopes: readonly string[],
  ) {}

  /** `abandoned` says whether the client has gone since it asked. */
  async check(token: Secret | undefined, abandoned?: () => boolean): Promise<AccessOutcome> {
    if (token === undefined) return { kind: 'token_missing' };
    const answer = await this.checker.check({ token, scopes: this.scopes, abandoned });
    if (answer.kind === 'failure') return { kind: 'authority_unavailable', failure: answer.failure };
    switch (answer.action) {
      case 'OK':
        return { kind: 'granted' };
      case 'BAD_REQUEST':
        return refusal('bad_request', answer.responseContent);
      case 'UNAUTHORIZED':
        return refusal('unauthorized', answer.responseContent);
      case 'FORBIDDEN':
        return refusal('forbidden', answer.responseContent);
      case 'INTERNAL_SERVER_ERROR':
        return refusal('internal_server_error', answer.responseContent);
      default:
        return assertNever(answer.action);
    }
  }
}
