import { assertNever } from '../../domain/assert-never';
import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import type { AuthleteSettings } from '../../config/gateway-config';
import type { AuthleteApiClient } from './authlete-api-client';
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
  constructor(
    private readonly client: AuthleteApiClient,
    private readonly settings: AuthleteSettings,
  ) {}

  async decide(command: RegistrationCommand): Promise<AuthorityAnswer> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.settings.timeoutMs);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return readAnswer(await this.send(command, deadline.signal));
        } catch (error) {
          if (attempt < MAX_ATTEMPTS && neverSent(error) && !deadline.signal.aborted) continue;
          return { kind: 'failure', failure: classifyFailure(error, this.settings.timeoutMs, deadline.signal.aborted) };
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private send(command: RegistrationCommand, signal: AbortSignal): Promise<RawAnswer> {
    const params = { path: { serviceId: this.settings.serviceId } };
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
