import { assertNever } from '../../domain/assert-never';
import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import type { AuthleteSettings } from '../../config/gateway-config';
import { ForeignTextScrubber } from '../logging/foreign-text';
import type { AuthleteApiClient } from './authlete-api-client';
import type { CallGuard } from './call-guard';
import { classifyFailure, neverSent } from './classify-failure';
import { readAnswer, type RawAnswer } from './read-answer';

/**
 * A call is tried a second time only when it provably never reached Authlete (the connection was refused).
 * Anything that may have reached it is not repeated: a repeated registration creates a second client, and a
 * repeated update or delete after a lost answer would report the first one's effect as a failure.
 */
const MAX_ATTEMPTS = 2;

/** The registration authority port, answered by Authlete's client registration API. */
export class AuthleteRegistrationAuthority implements RegistrationAuthority {
  readonly #params: { readonly path: { readonly serviceId: string } };

  constructor(
    private readonly client: AuthleteApiClient,
    private readonly settings: AuthleteSettings,
    private readonly guard: CallGuard,
  ) {
    this.#params = { path: { serviceId: settings.serviceId } };
  }

  /** One call under the guard (breaker, connection bulkhead, deadline); the only repeat follows an immediate refusal. */
  ask(command: RegistrationCommand): Promise<AuthorityAnswer> {
    return this.guard.call((deadline) => this.#attempts(command, deadline));
  }

  async #attempts(command: RegistrationCommand, deadline: AbortSignal | undefined): Promise<AuthorityAnswer> {
    const scrubber = (): ForeignTextScrubber => this.#scrubberFor(command);
    for (let attempt = 1; ; attempt++) {
      try {
        return readAnswer(await this.send(command, deadline), scrubber);
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && neverSent(error) && deadline?.aborted !== true) continue;
        return { kind: 'failure', failure: classifyFailure(error, this.settings.timeoutMs) };
      }
    }
  }

  /** What Authlete's text must not carry into a log: every secret this call sent it. */
  #scrubberFor(command: RegistrationCommand): ForeignTextScrubber {
    const token = command.operation === 'register' ? command.initialAccessToken : command.registrationAccessToken;
    return new ForeignTextScrubber([this.settings.serviceAccessToken, token]);
  }

  private send(command: RegistrationCommand, signal: AbortSignal | undefined): Promise<RawAnswer> {
    const params = this.#params;
    switch (command.operation) {
      case 'register': {
        const token = command.initialAccessToken?.reveal();
        return this.client.POST('/api/{serviceId}/client/registration', {
          params,
          signal,
          body: token === undefined ? { json: command.metadataJson } : { json: command.metadataJson, token },
        });
      }
      case 'read':
        return this.client.POST('/api/{serviceId}/client/registration/get', {
          params,
          signal,
          body: { clientId: command.clientId, token: command.registrationAccessToken.reveal() },
        });
      case 'update':
        return this.client.POST('/api/{serviceId}/client/registration/update', {
          params,
          signal,
          body: { clientId: command.clientId, token: command.registrationAccessToken.reveal(), json: command.metadataJson },
        });
      case 'delete':
        return this.client.POST('/api/{serviceId}/client/registration/delete', {
          params,
          signal,
          body: { clientId: command.clientId, token: command.registrationAccessToken.reveal() },
        });
      default:
        return assertNever(command);
    }
  }
}
