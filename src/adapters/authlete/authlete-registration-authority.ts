import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import { ForeignTextScrubber } from '../logging/foreign-text';
import { sendCommand, type AuthleteDialect } from './authlete-dialect';
import type { CallGuard } from './call-guard';
import { callAuthlete } from './call-authlete';
import { metadataSecrets } from './metadata-secrets';
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
   * What Authlete's text must not carry into a log: every secret this call sent it, the client's metadata whole,
   * and each secret value in it (the client_secret an update sends, say), which an error message may quote alone;
   * an answer that echoes the request carries them as sent, inside a JSON string. Made only when there is
   * Authlete text to log, so a successful call never parses the metadata again.
   */
  #scrubberFor(command: RegistrationCommand): ForeignTextScrubber {
    const token = command.operation === 'register' ? command.initialAccessToken : command.registrationAccessToken;
    const metadata =
      'metadataJson' in command
        ? [command.metadataJson, JSON.stringify(command.metadataJson).slice(1, -1), ...metadataSecrets(command.metadataJson)]
        : [];
    return new ForeignTextScrubber([...this.dialect.credentials, token], metadata);
  }
}
