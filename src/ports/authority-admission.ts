import type { AuthorityFailure } from '../domain/authority-failure';

/** Why the authority can take no more calls now: every place taken, or the circuit open while it recovers. */
export type AdmissionRefusal = Extract<AuthorityFailure, { cause: 'overloaded' | 'circuit_open' }>;

/** A place among the calls to the authority, held from admission until the request is answered. */
export type Admission = { readonly admitted: true; release(): void } | { readonly admitted: false; readonly failure: AdmissionRefusal };

/**
 * Whether the authority can take one more call now. A place is taken only once the request is ready to be sent
 * (its body read), so a client that is slow to send holds none; whether one is free is asked before anything of
 * the request is read, so a request that would only wait costs nothing but its answer.
 */
export interface AuthorityAdmission {
  /** Why a place would be refused now, or undefined when one is free; takes none. */
  refusalNow(): AdmissionRefusal | undefined;
  reserve(): Admission;
}
