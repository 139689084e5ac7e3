import Koa from 'koa';
import type { ClientRegistration } from '../../domain/client-registration';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { DrainState } from './drain-state';
import type { GatewayState } from './gateway-state';
import { drainConnections } from './middleware/drain-connections';
import { errorBoundary } from './middleware/error-boundary';
import { noStore } from './middleware/no-store';
import { observeRequests } from './middleware/observe-requests';
import { requestId } from './middleware/request-id';
import { createOperationsRouter } from './operations-routes';
import { createRegistrationRouter, type RegistrationRouteSettings } from './registration-routes';

export interface KoaAppDependencies {
  readonly registration: ClientRegistration;
  readonly settings: RegistrationRouteSettings;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly drain: DrainState;
}

/** The gateway's HTTP face: registration routes and probes behind request IDs, observation and JSON errors. */
export function createKoaApp({ registration, settings, logger, metrics, drain }: KoaAppDependencies): Koa<GatewayState> {
  const app = new Koa<GatewayState>();
  // The error boundary logs and answers everything; Koa's own stderr printing would only duplicate it.
  app.silent = true;
  const registrationRouter = createRegistrationRouter(registration, settings);
  const operationsRouter = createOperationsRouter(metrics, drain);
  app.use(requestId());
  app.use(observeRequests(logger, metrics));
  app.use(drainConnections(drain));
  app.use(noStore());
  app.use(errorBoundary(logger));
  app.use(operationsRouter.routes());
  app.use(registrationRouter.routes());
  app.use(registrationRouter.allowedMethods());
  app.use(operationsRouter.allowedMethods());
  return app;
}
