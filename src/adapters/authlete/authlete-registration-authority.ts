import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import { sendCommand, type AuthleteDialect } from './authlete-dialect';
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
  ) {}

  /** Each attempt runs under the transport's deadline; the only repeat follows an immediate refusal. */
  async ask(command: RegistrationCommand): Promise<AuthorityAnswer> {
    for (let attempt = 1; ; attempt++) {
      try {
        return readAnswer(await sendCommand(this.dialect, command));
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && neverSent(error)) continue;
        return { kind: 'failure', failure: classifyFailure(error, this.timeoutMs) };
      }
    }
  }
}
