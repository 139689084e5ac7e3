import { limitKey } from '../limit-key';
import type { Quota } from '../../../domain/limits';
import type { Limit } from '../../../ports/limit';
import { type Nothing, proceed, type RequestContext, type Step } from '../pipeline';
import type { Controls } from '../controls';
import { quotaHeaders } from '../rate-limit-headers';
import { refuseOverLimit } from './refuse-over-limit';

const PASSED = proceed({});
// The total is one counter for the whole deployment: every replica counts under the same key.
const EVERYONE = 'all';

/**
 * A registration let through by the per-address limit carries what that address has left, in the fields a 429
 * would carry, so a client that registers often can pace itself. The total is not shown: what every other client
 * has used is not this client's business, and it would tell an attacker how close the quota is.
 */
function showQuota(ctx: RequestContext, limit: Limit, quota: Quota | undefined): void {
  if (quota !== undefined) ctx.set(quotaHeaders(limit.name, limit.rule, quota));
}

/**
 * LIMIT_REGISTRATIONS_PER_IP and LIMIT_REGISTRATIONS_TOTAL, before anything else: once this replica's counting has
 * refused an address (or the total), its later registrations in the window are refused on arrival, before their
 * initial access token is introspected, a place in front of Authlete is taken or the body is read. A flood from
 * one address over its limit then costs one map lookup per request, and Authlete sees none of it.
 */
export function refuseAfterRegistrationLimit({ limits, metrics }: Controls): Step<unknown, Nothing> | undefined {
  const { registrationsPerIp: perIp, registrationsTotal: total } = limits;
  if (perIp === undefined && total === undefined) return undefined;
  return function refuseAfterRegistrationLimit(ctx) {
    const byIp = perIp?.refusal(limitKey(ctx.state.clientIp));
    if (perIp !== undefined && byIp !== undefined) return refuseOverLimit(ctx, perIp, byIp, metrics);
    const byAll = total?.refusal(EVERYONE);
    return total !== undefined && byAll !== undefined ? refuseOverLimit(ctx, total, byAll, metrics) : PASSED;
  };
}

/**
 * LIMIT_REGISTRATIONS_PER_IP and LIMIT_REGISTRATIONS_TOTAL: each registration that would reach Authlete counts
 * once against the client's address and, if its address is within its limit, once against the total; one the
 * total refuses is given back to the address. The total is asked only after the address: asked at once, a burst
 * from one address counted every attempt against the total before the refusals could give them back, and in
 * Redis 200 parallel attempts from one address with a limit of 2 used up a total of 20 for everyone.
 */
export function registrationRateLimit({ limits, metrics }: Controls): Step<unknown, Nothing> | undefined {
  const { registrationsPerIp: perIp, registrationsTotal: total } = limits;
  if (perIp === undefined && total === undefined) return undefined;
  return async function registrationRateLimit(ctx) {
    // The address's own count, once its limit let the registration through: given back if the total refuses it.
    let counted: { readonly limit: Limit; readonly key: string; readonly quota: Quota | undefined } | undefined;
    if (perIp !== undefined) {
      const key = limitKey(ctx.state.clientIp);
      const byIp = await perIp.take(key);
      if (byIp.kind === 'exceeded') return refuseOverLimit(ctx, perIp, byIp, metrics);
      counted = { limit: perIp, key, quota: byIp.quota };
    }
    if (total !== undefined) {
      const byAll = await total.take(EVERYONE);
      if (byAll.kind === 'exceeded') {
        if (counted !== undefined) void counted.limit.refund(counted.key);
        return refuseOverLimit(ctx, total, byAll, metrics);
      }
    }
    if (counted !== undefined) showQuota(ctx, counted.limit, counted.quota);
    return PASSED;
  };
}
