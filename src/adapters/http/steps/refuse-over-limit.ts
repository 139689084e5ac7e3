import type { Exceeded } from '../../../domain/limits';
import type { Limit } from '../../../ports/limit';
import type { GatewayMetrics } from '../../observability/gateway-metrics';
import { type RequestContext, stop, type StepResult } from '../pipeline';
import { REPLIES } from '../replies';

/** The 429 for a request a limit refuses, noted for the log, the metrics and the audit trail. */
export function refuseOverLimit(ctx: RequestContext, limit: Limit, verdict: Exceeded, metrics: GatewayMetrics): StepResult<never> {
  ctx.state.refusedBy = limit.name;
  metrics.countLimitRefusal(limit.name);
  return stop(REPLIES.rateLimited({ limit: limit.name, rule: limit.rule, retryAfterSeconds: verdict.retryAfterSeconds }));
}
