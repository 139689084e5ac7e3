import type { AuthorityAnswer } from '../domain/authority-answer';
import type { RegistrationCommand } from '../domain/commands';

/**
 * Whatever decides registration requests: Authlete in production, the stateful mock on a laptop, a fake in a
 * unit test. It never throws for a failed call: a failure is an answer too, with its cause.
 */
export interface RegistrationAuthority {
  ask(command: RegistrationCommand): Promise<AuthorityAnswer>;
}
