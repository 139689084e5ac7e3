import Router from '@koa/router';
import Koa from 'koa';
import type { ClientRegistration } from '../../domain/client-registration';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { DrainState } from './drain-state';
import { registrationEndpoints, routeEndpoints } from './endpoints/registration-endpoints';
import { answerUnexpected } from './frame/answer-unexpected';
import { answerUnrouted } from './frame/answer-unrouted';
import { assignRequestId } from './frame/assign-request-id';
import { closeWhenDraining } from './frame/close-when-draining';
import { forbidCaching } from './frame/forbid-caching';
import { recordRequest } from './frame/record-request';
import { requestFrame } from './frame/request-frame';
import type { GatewayState } from './gateway-state';
import { addOperationsRoutes } from './operations-routes';

export interface KoaAppSettings {
  readonly registrationPath: string;
  readonly bodyLimitBytes: number;
}

export interface KoaAppDependencies {
  readonly registration: ClientRegistration;
  readonly settings: KoaAppSettings;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly drain: DrainState;
}

/** The gateway's HTTP face: the registration endpoints and the probes, inside the per-request frame. */
export function createKoaApp({ registration, settings, logger, metrics, drain }: KoaAppDependencies): Koa<GatewayState> {
  const app = new Koa<GatewayState>();
  // The request frame logs and answers everything; Koa's own stderr printing would only duplicate it.
  app.silent = true;
  const router = new Router<GatewayState>({ sensitive: true });
  addOperationsRoutes(router, metrics, drain);
  routeEndpoints(router, registrationEndpoints({ registration, bodyLimitBytes: settings.bodyLimitBytes }), settings.registrationPath);
  app.use(
    requestFrame({
      onArrival: [assignRequestId, forbidCaching],
      onAnswer: [answerUnrouted, closeWhenDraining(drain), recordRequest(logger, metrics)],
      onError: answerUnexpected(logger),
    }),
  );
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
