import type { AuthorityFailure } from '../domain/authority-failure';

/** A place among the calls to the authority, held from admission until the request is answered. */
export type Admission =
  | { readonly admitted: true; release(): void }
  | { readonly admitted: false; readonly failure: Extract<AuthorityFailure, { cause: 'overloaded' | 'circuit_open' }> };

/**
 * Whether the authority can take one more call now. Asked before anything of the request is read, so a request
 * that would only wait (every place taken, or the authority left alone to recover) costs nothing but its answer.
 */
export interface AuthorityAdmission {
  reserve(): Admission;
}
