import { assertNever } from '../../domain/assert-never';
import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import type { AuthleteSettings } from '../../config/gateway-config';
import type { AuthleteApiClient } from './authlete-api-client';
import { callAuthlete } from './call-authlete';
import { readAnswer, type RawAnswer } from './read-answer';

/** The registration authority port, answered by Authlete's client registration API. */
export class AuthleteRegistrationAuthority implements RegistrationAuthority {
  readonly #params: { readonly path: { readonly serviceId: string } };

  constructor(
    private readonly client: AuthleteApiClient,
    private readonly settings: AuthleteSettings,
  ) {
    this.#params = { path: { serviceId: settings.serviceId } };
  }

  /** Each attempt runs under the transport's deadline; the only repeat follows an immediate refusal. */
  ask(command: RegistrationCommand): Promise<AuthorityAnswer> {
    return callAuthlete(async () => readAnswer(await this.send(command)), this.settings.timeoutMs);
  }

  private send(command: RegistrationCommand): Promise<RawAnswer> {
    const params = this.#params;
    switch (command.operation) {
      case 'register': {
        const token = command.initialAccessToken?.reveal();
        return this.client.POST('/api/{serviceId}/client/registration', {
          params,
          body: token === undefined ? { json: command.metadataJson } : { json: command.metadataJson, token },
        });
      }
      case 'read':
        return this.client.POST('/api/{serviceId}/client/registration/get', {
          params,
          body: { clientId: command.clientId, token: command.registrationAccessToken.reveal() },
        });
      case 'update':
        return this.client.POST('/api/{serviceId}/client/registration/update', {
          params,
          body: { clientId: command.clientId, token: command.registrationAccessToken.reveal(), json: command.metadataJson },
        });
      case 'delete':
        return this.client.POST('/api/{serviceId}/client/registration/delete', {
          params,
          body: { clientId: command.clientId, token: command.registrationAccessToken.reveal() },
        });
      default:
        return assertNever(command);
    }
  }
}
