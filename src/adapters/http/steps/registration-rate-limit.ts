import { clientIp } from '../client-ip';
import { type Nothing, proceed, type Step } from '../pipeline';
import type { Controls } from '../controls';
import { refuseOverLimit } from './refuse-over-limit';

const PASSED = proceed({});
// The total is one counter for the whole deployment: every replica counts under the same key.
const EVERYONE = 'all';

/**
 * LIMIT_REGISTRATIONS_PER_IP, then LIMIT_REGISTRATIONS_TOTAL: each registration that would reach Authlete
 * counts once against the client's address and once against the total. A request refused by the first is not
 * counted by the second, so one noisy address cannot use up everyone's quota beyond its own share.
 */
export function registrationRateLimit({ limits, metrics }: Controls): Step<unknown, Nothing> | undefined {
  const { registrationsPerIp: perIp, registrationsTotal: total } = limits;
  if (perIp === undefined && total === undefined) return undefined;
  return async function registrationRateLimit(ctx) {
    if (perIp !== undefined) {
      const verdict = await perIp.take(clientIp(ctx));
      if (verdict.kind === 'exceeded') return refuseOverLimit(ctx, perIp, verdict, metrics);
    }
    if (total !== undefined) {
      const verdict = await total.take(EVERYONE);
      if (verdict.kind === 'exceeded') return refuseOverLimit(ctx, total, verdict, metrics);
    }
    return PASSED;
  };
}
