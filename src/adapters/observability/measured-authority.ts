import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { RegistrationCommand } from '../../domain/commands';
import { canReturn } from '../../domain/decision-rules';
import type { Operation } from '../../domain/operation';
import type { RegistrationAuthority } from '../../ports/registration-authority';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from './gateway-metrics';

/** An action the operation cannot return counts as the failure it is, so one alert on unexpected_action sees all. */
function resultOf(operation: Operation, answer: AuthorityAnswer): string {
  if (answer.kind === 'failure') return answer.failure.cause;
  return canReturn(operation, answer.action) ? answer.action : 'unexpected_action';
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
    const result = resultOf(command.operation, answer);
    this.metrics.observeAuthorityCall(command.operation, result, seconds);
    if (this.logger.isLevelEnabled('debug')) {
      this.logger.debug({ operation: command.operation, result, durationMs: Math.round(seconds * 100_000) / 100 }, 'registration authority answered');
    }
    return answer;
  }
}
