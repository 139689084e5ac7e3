import Router from '@koa/router';
import Koa from 'koa';
import type { CorsSettings } from '../../config/exposure-settings';
import type { ClientRegistration } from '../../domain/client-registration';
import type { Controls } from './controls';
import { corsPolicy } from './cors-policy';
import type { AuthorityAdmission } from '../../ports/authority-admission';
import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { DrainState } from './drain-state';
import { registrationEndpoints, routeEndpoints } from './endpoints/registration-endpoints';
import { answerUnexpected } from './frame/answer-unexpected';
import { answerUnrouted } from './frame/answer-unrouted';
import { assignRequestId } from './frame/assign-request-id';
import { checkFraming } from './frame/check-framing';
import { closeWhenDraining } from './frame/close-when-draining';
import { forbidCaching } from './frame/forbid-caching';
import { recordRequest } from './frame/record-request';
import { requestFrame } from './frame/request-frame';
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

export interface KoaAppDependencies {
  readonly registration: ClientRegistration;
  readonly admission: AuthorityAdmission;
  readonly settings: KoaAppSettings;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly drain: DrainState;
  readonly controls: Controls;
}

/** The gateway's HTTP face: the registration endpoints and the probes, inside the per-request frame. */
export function createKoaApp({ registration, admission, settings, logger, metrics, drain, controls }: KoaAppDependencies): Koa<GatewayState> {
  const app = new Koa<GatewayState>();
  // ctx.ip is the socket's peer, or with proxies in front the last TRUST_PROXY_HOPS entries of X-Forwarded-For.
  app.proxy = settings.trustProxyHops > 0;
  app.maxIpsCount = settings.trustProxyHops;
  // The request frame logs and answers everything; Koa's own stderr printing would only duplicate it.
  app.silent = true;
  const router = new Router<GatewayState>({ sensitive: true });
  addOperationsRoutes(router, metrics, drain);
  routeEndpoints(router, registrationEndpoints({ registration, admission, bodyLimitBytes: settings.bodyLimitBytes, bodyTimeoutMs: settings.bodyTimeoutMs, controls }), settings.registrationPath);
  app.use(
    requestFrame({
      onArrival: [assignRequestId, forbidCaching],
      admit: [checkFraming],
      onAnswer: [answerUnrouted, closeWhenDraining(drain), recordRequest(logger, metrics)],
      onError: answerUnexpected(logger),
    }),
  );
  const cors = corsPolicy(settings.cors);
  if (cors !== undefined) app.use(cors);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
