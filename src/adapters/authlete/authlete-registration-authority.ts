import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import { sendCommand, type AuthleteDialect } from './authlete-dialect';
import { callAuthlete } from './call-authlete';
import { readAnswer } from './read-answer';

/** The registration authority port, answered by Authlete's client registration API in either version. */
export class AuthleteRegistrationAuthority implements RegistrationAuthority {
  constructor(
    private readonly dialect: AuthleteDialect,
    private readonly timeoutMs: number,
  ) {}

  /** Each attempt runs under the transport's deadline; the only repeat follows an immediate refusal. */
  ask(command: RegistrationCommand): Promise<AuthorityAnswer> {
    return callAuthlete(async () => readAnswer(await sendCommand(this.dialect, command)), this.timeoutMs);
  }
}
