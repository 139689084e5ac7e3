import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { ClientRegistration } from '../../domain/client-registration';
import type { GatewayState } from './gateway-state';
import { requestFrame, type FrameDependencies } from './middleware/request-frame';
import { addOperationsRoutes } from './operations-routes';
import { addRegistrationRoutes, type RegistrationRouteSettings } from './registration-routes';

export interface KoaAppDependencies extends FrameDependencies {
  readonly registration: ClientRegistration;
  readonly settings: RegistrationRouteSettings;
  /** Also serve the probes and metrics here (ADMIN_PORT equal to PORT). */
  readonly withOperations: boolean;
  /** Server spans around each request, when tracing is on; absent, the request path has no extra layer. */
  readonly serverSpans: Middleware<GatewayState> | undefined;
}

/** An app whose routes run inside the per-request frame, with JSON answers for whatever they leave unanswered. */
function framedApp(frame: FrameDependencies, addRoutes: (router: Router<GatewayState>) => void, outer?: Middleware<GatewayState>): Koa<GatewayState> {
  const app = new Koa<GatewayState>();
  // The request frame logs and answers everything; Koa's own stderr printing would only duplicate it.
  app.silent = true;
  const router = new Router<GatewayState>({ sensitive: true });
  addRoutes(router);
  if (outer !== undefined) app.use(outer);
  app.use(requestFrame(frame));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** The gateway's public face: the registration routes (and the probes, when they share the public port). */
export function createPublicApp({ registration, settings, logger, metrics, drain, withOperations, serverSpans }: KoaAppDependencies): Koa<GatewayState> {
  return framedApp(
    { logger, metrics, drain },
    (router) => {
      if (withOperations) addOperationsRoutes(router, metrics, drain);
      addRegistrationRoutes(router, registration, settings);
    },
    serverSpans,
  );
}

/** The admin listener's app: liveness, readiness and metrics for the platform, nothing a client can call. */
export function createAdminApp(frame: FrameDependencies): Koa<GatewayState> {
  return framedApp(frame, (router) => addOperationsRoutes(router, frame.metrics, frame.drain));
}
