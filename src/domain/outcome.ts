import type { AuthorityFailure } from './authority-failure';

/**
 * Everything a registration request can end in once the authority has been asked. `content` is the JSON text
 * the authority wrote for the client; the gateway relays it untouched.
 */
export type RegistrationOutcome =
  | { readonly kind: 'created'; readonly content: string }
  | { readonly kind: 'ok'; readonly content: string }
  | { readonly kind: 'updated'; readonly content: string }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'bad_request'; readonly content: string }
  | { readonly kind: 'unauthorized'; readonly content: string }
  | { readonly kind: 'internal_server_error'; readonly content: string }
  | { readonly kind: 'authority_unavailable'; readonly failure: AuthorityFailure };

export type OutcomeKind = RegistrationOutcome['kind'];

type OutcomeOf<K extends OutcomeKind> = Extract<RegistrationOutcome, { kind: K }>;

export type RegisterOutcome = OutcomeOf<'created' | 'bad_request' | 'internal_server_error' | 'authority_unavailable'>;
export type ReadOutcome = OutcomeOf<'ok' | 'bad_request' | 'unauthorized' | 'internal_server_error' | 'authority_unavailable'>;
export type UpdateOutcome = OutcomeOf<'updated' | 'bad_request' | 'unauthorized' | 'internal_server_error' | 'authority_unavailable'>;
export type DeleteOutcome = OutcomeOf<'deleted' | 'bad_request' | 'unauthorized' | 'internal_server_error' | 'authority_unavailable'>;
