import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { CorsSettings } from '../../config/exposure-settings';
import type { ClientRegistration } from '../../domain/client-registration';
import type { AuthorityAdmission } from '../../ports/authority-admission';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { Controls } from './controls';
import { corsPolicy } from './cors-policy';
import type { DrainState } from './drain-state';
import { registrationEndpoints, routeEndpoints } from './endpoints/registration-endpoints';
import { discardUnreadBody } from './body/discard-unread-body';
import { answerUnexpected } from './frame/answer-unexpected';
import { answerUnrouted } from './frame/answer-unrouted';
import { assignRequestId } from './frame/assign-request-id';
import { checkFraming } from './frame/check-framing';
import { closeWhenDraining, noteArrival, refuseBehindClose } from './frame/close-when-draining';
import { countAnswered, countArrival } from './frame/count-in-flight';
import { noteClientIp } from './frame/note-client-ip';
import { noteCutOff } from './frame/note-cut-off';
import { forbidCaching } from './frame/forbid-caching';
import { recordRequest } from './frame/record-request';
import { requestFrame, type FrameContext } from './frame/request-frame';
import type { GatewayState } from './gateway-state';
import { addOperationsRoutes } from './operations-routes';

export interface KoaAppSettings {
  readonly registrationPath: string;
  readonly bodyLimitBytes: number;
  readonly bodyTimeoutMs: number;
  readonly cors: CorsSettings;
  /** TRUST_PROXY_HOPS: how many X-Forwarded-For entries, from the right, are believed for the client IP. */
  readonly trustProxyHops: number;
}

/** What every request's frame needs, on either listener. */
export interface FrameDependencies {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly drain: DrainState;
}

export interface KoaAppDependencies extends FrameDependencies {
  readonly registration: ClientRegistration;
  readonly admission: AuthorityAdmission;
  readonly settings: KoaAppSettings;
  readonly controls: Controls;
  /** Also serve the probes and metrics here (ADMIN_PORT equal to PORT). */
  readonly withOperations: boolean;
  /** Server spans around each request, when tracing is on; absent, the request path has no extra layer. */
  readonly serverSpans: Middleware<GatewayState> | undefined;
}

interface AppShape {
  readonly addRoutes: (router: Router<GatewayState>) => void;
  /** A middleware around the frame (the server spans). */
  readonly outer?: Middleware<GatewayState> | undefined;
  /** A middleware between the frame and the routes (CORS). */
  readonly inner?: Middleware<GatewayState> | undefined;
  /** Every request is the platform's: logged at debug level and not counted as a client request. */
  readonly platformOnly?: boolean;
}

function markAsProbe(ctx: FrameContext): void {
  ctx.state.probe = true;
}

/** An app whose routes run inside the per-request frame, with JSON answers for whatever they leave unanswered. */
function framedApp({ logger, metrics, drain }: FrameDependencies, { addRoutes, outer, inner, platformOnly = false }: AppShape): Koa<GatewayState> {
  const app = new Koa<GatewayState>();
  // The request frame logs and answers everything; Koa's own stderr printing would only duplicate it.
  app.silent = true;
  const router = new Router<GatewayState>({ sensitive: true });
  addRoutes(router);
  const arrival = countArrival(drain);
  if (outer !== undefined) app.use(outer);
  app.use(
    requestFrame({
      onArrival: platformOnly ? [arrival, assignRequestId, noteClientIp, forbidCaching, noteArrival, markAsProbe] : [arrival, assignRequestId, noteClientIp, forbidCaching, noteArrival],
      admit: [refuseBehindClose, checkFraming],
      onAnswer: [answerUnrouted, closeWhenDraining(drain), noteCutOff(drain), discardUnreadBody, recordRequest(logger, metrics), countAnswered(drain)],
      onError: answerUnexpected(logger),
    }),
  );
  if (inner !== undefined) app.use(inner);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** The gateway's public face: the registration endpoints (and the probes, when they share the public port). */
export function createPublicApp({ registration, admission, settings, controls, withOperations, serverSpans, ...frame }: KoaAppDependencies): Koa<GatewayState> {
  const app = framedApp(frame, {
    addRoutes: (router) => {
      if (withOperations) addOperationsRoutes(router, frame.metrics, frame.drain);
      routeEndpoints(
        router,
        registrationEndpoints({ registration, admission, bodyLimitBytes: settings.bodyLimitBytes, bodyTimeoutMs: settings.bodyTimeoutMs, controls }),
        settings.registrationPath,
      );
    },
    outer: serverSpans,
    inner: corsPolicy(settings.cors, settings.registrationPath),
  });
  // ctx.ip is the socket's peer, or with proxies in front the last TRUST_PROXY_HOPS entries of X-Forwarded-For.
  app.proxy = settings.trustProxyHops > 0;
  app.maxIpsCount = settings.trustProxyHops;
  return app;
}

/** The admin listener's app: liveness, readiness and metrics for the platform, nothing a client can call. */
export function createAdminApp(frame: FrameDependencies): Koa<GatewayState> {
  return framedApp(frame, { addRoutes: (router) => addOperationsRoutes(router, frame.metrics, frame.drain), platformOnly: true });
}
