import { clientIp } from '../client-ip';
import { limitKey } from '../limit-key';
import type { Limit } from '../../../ports/limit';
import { type Nothing, proceed, type RequestContext, type Step, type StepResult } from '../pipeline';
import type { Controls } from '../controls';
import { refuseOverLimit } from './refuse-over-limit';

const PASSED = proceed({});
// The total is one counter for the whole deployment: every replica counts under the same key.
const EVERYONE = 'all';

/**
 * LIMIT_REGISTRATIONS_PER_IP and LIMIT_REGISTRATIONS_TOTAL: each registration that would reach Authlete counts
 * once against the client's address and once against the total. Both are asked at once (in Redis, one round trip
 * for the two), and a request one of them refuses is given back to the other, so one noisy address cannot use up
 * everyone's quota beyond its own share.
 */
export function registrationRateLimit({ limits, metrics }: Controls): Step<unknown, Nothing> | undefined {
  const { registrationsPerIp: perIp, registrationsTotal: total } = limits;
  const one = async (ctx: RequestContext, limit: Limit, key: string): Promise<StepResult<Nothing>> => {
    const verdict = await limit.take(key);
    return verdict.kind === 'exceeded' ? refuseOverLimit(ctx, limit, verdict, metrics) : PASSED;
  };
  if (perIp === undefined) return total === undefined ? undefined : (ctx) => one(ctx, total, EVERYONE);
  if (total === undefined) return (ctx) => one(ctx, perIp, limitKey(clientIp(ctx)));
  return async function registrationRateLimit(ctx) {
    const key = limitKey(clientIp(ctx));
    const [byIp, byAll] = await Promise.all([perIp.take(key), total.take(EVERYONE)]);
    if (byIp.kind === 'exceeded') {
      if (byAll.kind === 'within') void total.refund(EVERYONE);
      return refuseOverLimit(ctx, perIp, byIp, metrics);
    }
    if (byAll.kind === 'exceeded') {
      void perIp.refund(key);
      return refuseOverLimit(ctx, total, byAll, metrics);
    }
    return PASSED;
  };
}
