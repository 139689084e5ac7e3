import type { Answer } from '../domain/authority-answer';
import type { IntrospectionAction } from '../domain/introspection-action';
import type { Secret } from '../domain/secret';

/** One initial access token to check, and the scopes it must cover. */
export interface TokenCheck {
  readonly token: Secret;
  readonly scopes: readonly string[];
  /** Whether the client has gone since: a check not yet sent is then not sent at all. */
  readonly abandoned?: (() => boolean) | undefined;
}

/**
 * Whatever says whether an initial access token may register a client: Authlete's introspection API in
 * production, the stateful mock on a laptop, a fake in a unit test. A failed call is an answer too, never a throw.
 */
export interface InitialAccessTokenChecker {
  check(request: TokenCheck): Promise<Answer<IntrospectionAction>>;
}
