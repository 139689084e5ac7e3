import type { AuthorityAnswer } from '../../src/domain/authority-answer';
import type { RegistrationCommand } from '../../src/domain/commands';
import type { RegistrationAuthority } from '../../src/ports/registration-authority';

/** A registration authority that answers what the test scripted and remembers what it was asked. */
export class FakeAuthority implements RegistrationAuthority {
  readonly received: RegistrationCommand[] = [];
  #next: (command: RegistrationCommand) => AuthorityAnswer | Promise<AuthorityAnswer>;

  constructor(answer: AuthorityAnswer = { kind: 'failure', failure: { cause: 'unreachable', code: 'NOT_SCRIPTED' } }) {
    this.#next = () => answer;
  }

  answers(answer: AuthorityAnswer | ((command: RegistrationCommand) => AuthorityAnswer | Promise<AuthorityAnswer>)): this {
    this.#next = typeof answer === 'function' ? answer : () => answer;
    return this;
  }

  async ask(command: RegistrationCommand): Promise<AuthorityAnswer> {
    this.received.push(command);
    return this.#next(command);
  }
}

export function decision(action: Extract<AuthorityAnswer, { kind: 'decision' }>['action'], responseContent?: string): AuthorityAnswer {
  return responseContent === undefined ? { kind: 'decision', action } : { kind: 'decision', action, responseContent };
}
