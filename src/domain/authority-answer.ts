import type { AuthorityFailure } from './authority-failure';
import type { RegistrationAction } from './registration-action';

/** What a registration authority hands back for one command: a decision, or the reason there is none. */
export type AuthorityAnswer =
  | {
      readonly kind: 'decision';
      readonly action: RegistrationAction;
      /** The body meant for the client, verbatim; absent where the authority sent none (DELETED). */
      readonly responseContent?: string;
    }
  | { readonly kind: 'failure'; readonly failure: AuthorityFailure };
