import type { Answer } from '../../domain/authority-answer';
import type { IntrospectionAction } from '../../domain/introspection-action';
import type { InitialAccessTokenChecker, TokenCheck } from '../../ports/initial-access-token-checker';
import type { GatewayMetrics } from './gateway-metrics';

/** Any token checker, each call timed and counted like the registration calls, under operation "introspect". */
export class MeasuredTokenChecker implements InitialAccessTokenChecker {
  constructor(
    private readonly inner: InitialAccessTokenChecker,
    private readonly metrics: GatewayMetrics,
  ) {}

  async check(request: TokenCheck): Promise<Answer<IntrospectionAction>> {
    const started = performance.now();
    const answer = await this.inner.check(request);
    this.metrics.observeAuthorityCall('introspect', answer.kind === 'decision' ? answer.action : answer.failure.cause, (performance.now() - started) / 1000);
    return answer;
  }
}
