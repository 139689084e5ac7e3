import type { Answer } from '../../domain/authority-answer';
import { isIntrospectionAction, type IntrospectionAction } from '../../domain/introspection-action';
import type { InitialAccessTokenChecker, TokenCheck } from '../../ports/initial-access-token-checker';
import type { AuthleteSettings } from '../../config/gateway-config';
import type { AuthleteApiClient } from './authlete-api-client';
import { callAuthlete } from './call-authlete';
import { readDecision } from './read-answer';

/**
 * The initial access token checker, answered by Authlete's introspection API: the token must be one the same
 * Authlete service issued, alive, and cover the scopes. Same client, transport, deadline and failure reading as
 * the registration calls.
 */
export class AuthleteTokenIntrospection implements InitialAccessTokenChecker {
  readonly #params: { readonly path: { readonly serviceId: string } };

  constructor(
    private readonly client: AuthleteApiClient,
    private readonly settings: AuthleteSettings,
  ) {
    this.#params = { path: { serviceId: settings.serviceId } };
  }

  check({ token, scopes }: TokenCheck): Promise<Answer<IntrospectionAction>> {
    return callAuthlete(async () => {
      const raw = await this.client.POST('/api/{serviceId}/auth/introspection', {
        params: this.#params,
        body: { token: token.reveal(), scopes: [...scopes] },
      });
      return readDecision(raw, isIntrospectionAction);
    }, this.settings.timeoutMs);
  }
}
