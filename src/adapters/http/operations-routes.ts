import Router from '@koa/router';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { DrainState } from './drain-state';
import type { GatewayState } from './gateway-state';
import { sendReply } from './http-reply';
import { REPLIES } from './replies';

/**
 * Probes and metrics for the platform, not for clients: keep them off the public route. Liveness asks only
 * whether the process answers; readiness also turns 503 once shutdown has begun, so traffic moves elsewhere.
 * Neither calls Authlete: a probe must not spend a paid API call, nor fail the pod for Authlete's outage.
 */
export function addOperationsRoutes(router: Router<GatewayState>, metrics: GatewayMetrics, drain: DrainState): void {
  router.get('/health/live', (ctx) => {
    ctx.state.probe = true;
    sendReply(ctx, REPLIES.live);
  });
  router.get('/health/ready', (ctx) => {
    ctx.state.probe = true;
    sendReply(ctx, drain.draining ? REPLIES.draining : REPLIES.ready);
  });
  router.get('/metrics', async (ctx) => {
    ctx.state.probe = true;
    ctx.set('Content-Type', metrics.contentType());
    ctx.body = await metrics.render();
  });
}
