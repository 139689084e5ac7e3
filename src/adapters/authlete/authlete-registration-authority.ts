import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import { ForeignTextScrubber } from '../logging/foreign-text';
import { sendCommand, type AuthleteDialect } from './authlete-dialect';
import type { CallGuard } from './call-guard';
import { classifyFailure, neverSent } from './classify-failure';
import { readAnswer } from './read-answer';

/**
 * A call is tried a second time only when it provably never reached Authlete (the connection was refused).
 * Anything that may have reached it is not repeated: a repeated registration creates a second client, and a
 * repeated update or delete after a lost answer would report the first one's effect as a failure.
 */
const MAX_ATTEMPTS = 2;

/** The registration authority port, answered by Authlete's client registration API in either version. */
export class AuthleteRegistrationAuthority implements RegistrationAuthority {
  constructor(
    private readonly dialect: AuthleteDialect,
    private readonly timeoutMs: number,
    private readonly guard: CallGuard,
  ) {}

  /** One call under the guard (breaker, connection bulkhead, deadline); the only repeat follows an immediate refusal. */
  ask(command: RegistrationCommand): Promise<AuthorityAnswer> {
    return this.guard.call((deadline) => this.#attempts(command, deadline));
  }

  async #attempts(command: RegistrationCommand, deadline: AbortSignal | undefined): Promise<AuthorityAnswer> {
    const scrubber = (): ForeignTextScrubber => this.#scrubberFor(command);
    for (let attempt = 1; ; attempt++) {
      try {
        return readAnswer(await sendCommand(this.dialect, command, deadline), scrubber);
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && neverSent(error) && deadline?.aborted !== true) continue;
        return { kind: 'failure', failure: classifyFailure(error, this.timeoutMs) };
      }
    }
  }

  /** What Authlete's text must not carry into a log: every secret this call sent it. */
  #scrubberFor(command: RegistrationCommand): ForeignTextScrubber {
    const token = command.operation === 'register' ? command.initialAccessToken : command.registrationAccessToken;
    return new ForeignTextScrubber([...this.dialect.credentials, token]);
  }
}
