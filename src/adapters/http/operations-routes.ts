import Router from '@koa/router';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { DrainState } from './drain-state';
import type { GatewayState } from './gateway-state';
import { sendReply } from './http-reply';
import { PROBES } from './probe-paths';

const LIVE = JSON.stringify({ status: 'live' });
const READY = JSON.stringify({ status: 'ready' });
export const DRAINING = JSON.stringify({ status: 'draining', error: 'temporarily_unavailable', error_description: 'The service is shutting down.' });

/**
 * Probes and metrics for the platform, not for clients: keep them off the public route. Liveness asks only
 * whether the process answers; readiness also turns 503 once shutdown has begun, so traffic moves elsewhere.
 * Neither calls Authlete: a probe must not spend a paid API call, nor fail the pod for Authlete's outage.
 */
export function addOperationsRoutes(router: Router<GatewayState>, metrics: GatewayMetrics, drain: DrainState): void {
  router.get(PROBES.live, (ctx) => {
    ctx.state.probe = true;
    sendReply(ctx, { status: 200, json: LIVE });
  });
  router.get(PROBES.ready, (ctx) => {
    ctx.state.probe = true;
    sendReply(ctx, drain.draining ? { status: 503, json: DRAINING } : { status: 200, json: READY });
  });
  router.get(PROBES.metrics, async (ctx) => {
    ctx.state.probe = true;
    ctx.set('Content-Type', metrics.contentType());
    ctx.body = await metrics.render();
  });
}
