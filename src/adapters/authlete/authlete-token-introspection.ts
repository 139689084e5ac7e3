import type { Answer } from '../../domain/authority-answer';
import { isIntrospectionAction, type IntrospectionAction } from '../../domain/introspection-action';
import type { InitialAccessTokenChecker, TokenCheck } from '../../ports/initial-access-token-checker';
import { ForeignTextScrubber } from '../logging/foreign-text';
import type { AuthleteDialect } from './authlete-dialect';
import { callAuthlete } from './call-authlete';
import type { CallGuard } from './call-guard';
import { readDecision } from './read-answer';
import { withholdQuotingContent } from './withhold-quoting-content';

/**
 * The initial access token checker, answered by Authlete's introspection API in either version: the token must
 * be one the same Authlete service issued, alive, and cover the scopes. Same client, transport, guard (breaker,
 * connection bulkhead, deadline), retry and failure reading as the registration calls. A challenge that quotes
 * the gateway's own credentials is withheld here, where they are known, so the client gets the fixed one.
 */
export class AuthleteTokenIntrospection implements InitialAccessTokenChecker {
  constructor(
    private readonly dialect: AuthleteDialect,
    private readonly timeoutMs: number,
    private readonly guard: CallGuard,
  ) {}

  check({ token, scopes, abandoned }: TokenCheck): Promise<Answer<IntrospectionAction>> {
    const scrubber = (): ForeignTextScrubber => new ForeignTextScrubber([...this.dialect.credentials, token]);
    return this.guard.call(
      (deadline) =>
        callAuthlete(
          async () =>
            withholdQuotingContent(
              readDecision(await this.dialect.introspect({ token: token.reveal(), scopes: [...scopes] }, deadline), scrubber, isIntrospectionAction),
              this.dialect.notForClients,
            ),
          this.timeoutMs,
          deadline,
        ),
      abandoned,
    );
  }
}
