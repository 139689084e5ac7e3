import Koa from 'koa';
import type { ClientRegistration } from '../../domain/client-registration';
import type { Logger } from '../logging/create-logger';
import type { GatewayState } from './gateway-state';
import { accessLog } from './middleware/access-log';
import { errorBoundary } from './middleware/error-boundary';
import { noStore } from './middleware/no-store';
import { requestId } from './middleware/request-id';
import { createRegistrationRouter, type RegistrationRouteSettings } from './registration-routes';

export interface KoaAppDependencies {
  readonly registration: ClientRegistration;
  readonly settings: RegistrationRouteSettings;
  readonly logger: Logger;
}

/** The gateway's HTTP face: the registration routes behind request IDs, access logging and JSON errors. */
export function createKoaApp({ registration, settings, logger }: KoaAppDependencies): Koa<GatewayState> {
  const app = new Koa<GatewayState>();
  // The error boundary logs and answers everything; Koa's own stderr printing would only duplicate it.
  app.silent = true;
  const registrationRouter = createRegistrationRouter(registration, settings);
  app.use(requestId());
  app.use(accessLog(logger));
  app.use(noStore());
  app.use(errorBoundary(logger));
  app.use(registrationRouter.routes());
  app.use(registrationRouter.allowedMethods());
  return app;
}
