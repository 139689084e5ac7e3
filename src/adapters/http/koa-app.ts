import Router from '@koa/router';
import Koa from 'koa';
import type { ClientRegistration } from '../../domain/client-registration';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { DrainState } from './drain-state';
import type { GatewayState } from './gateway-state';
import { requestFrame } from './middleware/request-frame';
import { addOperationsRoutes } from './operations-routes';
import { addRegistrationRoutes, type RegistrationRouteSettings } from './registration-routes';

export interface KoaAppDependencies {
  readonly registration: ClientRegistration;
  readonly settings: RegistrationRouteSettings;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly drain: DrainState;
}

/** The gateway's HTTP face: the registration routes and the probes, inside the per-request frame. */
export function createKoaApp({ registration, settings, logger, metrics, drain }: KoaAppDependencies): Koa<GatewayState> {
  const app = new Koa<GatewayState>();
  // The request frame logs and answers everything; Koa's own stderr printing would only duplicate it.
  app.silent = true;
  const router = new Router<GatewayState>({ sensitive: true });
  addOperationsRoutes(router, metrics, drain);
  addRegistrationRoutes(router, registration, settings);
  app.use(requestFrame({ logger, metrics, drain }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
