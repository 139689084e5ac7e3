import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from './gateway-metrics';

function resultOf(answer: AuthorityAnswer): string {
  return answer.kind === 'decision' ? answer.action : answer.failure.cause;
}

/** Any registration authority, with each call timed and counted by its result, and traced at debug level. */
export class MeasuredAuthority implements RegistrationAuthority {
  constructor(
    private readonly inner: RegistrationAuthority,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
  ) {}

  async ask(command: RegistrationCommand): Promise<AuthorityAnswer> {
    const started = performance.now();
    const answer = await this.inner.ask(command);
    const seconds = (performance.now() - started) / 1000;
    const result = resultOf(answer);
    this.metrics.observeAuthorityCall(command.operation, result, seconds);
    if (this.logger.isLevelEnabled('debug')) {
      this.logger.debug({ operation: command.operation, result, durationMs: Math.round(seconds * 100_000) / 100 }, 'registration authority answered');
    }
    return answer;
  }
}
