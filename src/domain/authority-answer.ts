import type { AuthorityFailure } from './authority-failure';
import type { RegistrationAction } from './registration-action';

/** What Authlete hands back for one call: a decision among the actions `A`, or the reason there is none. */
export type Answer<A extends string> =
  | {
      readonly kind: 'decision';
      readonly action: A;
      /** Authlete's `responseContent`, verbatim; absent where it sent none, or (introspection) it quoted the gateway's credentials. */
      readonly responseContent?: string;
    }
  | { readonly kind: 'failure'; readonly failure: AuthorityFailure };

/** What a registration authority hands back for one command: a decision, or the reason there is none. */
export type AuthorityAnswer = Answer<RegistrationAction>;
