import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import { ForeignTextScrubber } from '../logging/foreign-text';
import { sendCommand, type AuthleteDialect } from './authlete-dialect';
import type { CallGuard } from './call-guard';
import { callAuthlete } from './call-authlete';
import { readAnswer } from './read-answer';

/** The registration authority port, answered by Authlete's client registration API in either version. */
export class AuthleteRegistrationAuthority implements RegistrationAuthority {
  constructor(
    private readonly dialect: AuthleteDialect,
    private readonly timeoutMs: number,
    private readonly guard: CallGuard,
  ) {}

  /** One call under the guard (breaker, connection bulkhead, deadline); the only repeat follows an immediate refusal. */
  ask(command: RegistrationCommand): Promise<AuthorityAnswer> {
    return this.guard.call((deadline) => this.#attempts(command, deadline), command.abandoned);
  }

  #attempts(command: RegistrationCommand, deadline: AbortSignal | undefined): Promise<AuthorityAnswer> {
    const scrubber = (): ForeignTextScrubber => this.#scrubberFor(command);
    return callAuthlete(async () => readAnswer(await sendCommand(this.dialect, command, deadline), scrubber), this.timeoutMs, deadline);
  }

  /**
   * What Authlete's text must not carry into a log: every secret this call sent it, and the client's metadata,
   * which may hold a secret of its own; an answer that echoes the request carries it as sent, inside a JSON string.
   */
  #scrubberFor(command: RegistrationCommand): ForeignTextScrubber {
    const token = command.operation === 'register' ? command.initialAccessToken : command.registrationAccessToken;
    const metadata = 'metadataJson' in command ? [command.metadataJson, JSON.stringify(command.metadataJson).slice(1, -1)] : [];
    return new ForeignTextScrubber([...this.dialect.credentials, token], metadata);
  }
}
