import type { Answer } from '../../src/domain/authority-answer';
import type { IntrospectionAction } from '../../src/domain/introspection-action';
import type { InitialAccessTokenChecker, TokenCheck } from '../../src/ports/initial-access-token-checker';

/** An initial access token checker that answers what the test scripted and remembers the tokens and scopes it saw. */
export class FakeTokenChecker implements InitialAccessTokenChecker {
  readonly received: Array<{ token: string; scopes: readonly string[] }> = [];
  #answer: Answer<IntrospectionAction> | (() => Promise<Answer<IntrospectionAction>>) = { kind: 'decision', action: 'OK' };

  /** The answer to every check from now on, or a function giving each one (a test holding the answer back, say). */
  answers(answer: Answer<IntrospectionAction> | (() => Promise<Answer<IntrospectionAction>>)): this {
    this.#answer = answer;
    return this;
  }

  async check({ token, scopes }: TokenCheck): Promise<Answer<IntrospectionAction>> {
    this.received.push({ token: token.reveal(), scopes });
    return typeof this.#answer === 'function' ? this.#answer() : this.#answer;
  }
}
