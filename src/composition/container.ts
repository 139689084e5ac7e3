// inversify reads class metadata through the Reflect metadata API; it has to be in place before any binding.
import 'reflect-metadata';
import { Container } from 'inversify';
import type Koa from 'koa';
import type { Dispatcher } from 'undici';
import { createAuthleteApiClient, createAuthleteV2ApiClient } from '../adapters/authlete/authlete-api-client';
import { createAuthleteDispatcher } from '../adapters/authlete/authlete-dispatcher';
import { AuthleteRegistrationAuthority } from '../adapters/authlete/authlete-registration-authority';
import { AuthleteTokenIntrospection } from '../adapters/authlete/authlete-token-introspection';
import { auditFailureLog } from '../adapters/audit/audit-failure-log';
import { openAuditTrail, type OpenedAuditTrail } from '../adapters/audit/json-lines-audit-trail';
import type { Controls } from '../adapters/http/controls';
import { createLimits, type OpenedLimits } from '../adapters/limits/create-limits';
import type { OpenRedisConnection } from '../adapters/limits/redis-connection';
import { MeasuredTokenChecker } from '../adapters/observability/measured-token-checker';
import { RegistrationAccess } from '../domain/registration-access';
import type { InitialAccessTokenChecker } from '../ports/initial-access-token-checker';
import { CallGuard } from '../adapters/authlete/call-guard';
import { v2Dialect } from '../adapters/authlete/authlete-v2-dialect';
import { v3Dialect } from '../adapters/authlete/authlete-v3-dialect';
import { AdminServer } from '../adapters/http/admin-server';
import { DrainState } from '../adapters/http/drain-state';
import { GatewayServer } from '../adapters/http/gateway-server';
import type { GatewayState } from '../adapters/http/gateway-state';
import { createAdminApp, createPublicApp } from '../adapters/http/koa-app';
import { createLogger, type Logger } from '../adapters/logging/create-logger';
import { linesLost } from '../adapters/logging/process-output';
import { GatewayMetrics } from '../adapters/observability/gateway-metrics';
import { MeasuredAuthority } from '../adapters/observability/measured-authority';
import type { Tracing } from '../adapters/observability/tracing/tracing';
import type { AuthleteSettings, GatewayConfig } from '../config/gateway-config';
import { ClientRegistration } from '../domain/client-registration';
import type { AuthorityAdmission } from '../ports/authority-admission';
import type { RegistrationAuthority } from '../ports/registration-authority';
import { TOKENS } from './tokens';

/**
 * Where the server listens: HOST, or, when the embedded mock is the authority (a laptop, never production), only
 * loopback unless HOST says otherwise, since its clients and tokens are for one developer's eyes.
 */
function listenSettings(config: GatewayConfig): GatewayConfig['http'] {
  if (config.http.host !== undefined || config.authority.kind !== 'embedded_mock') return config.http;
  return { ...config.http, host: '127.0.0.1' };
}

/** The admin listener follows the public one onto loopback when the embedded mock answers and no host is set. */
function adminListenSettings(config: GatewayConfig): GatewayConfig['admin'] {
  if (config.admin.host !== undefined || config.authority.kind !== 'embedded_mock') return config.admin;
  return { ...config.admin, host: '127.0.0.1' };
}

/**
 * The composition root: the only place that knows which adapter serves which port. A test swaps the
 * registration authority by rebinding `TOKENS.RegistrationAuthority`; whatever is bound there is measured.
 * `tracing` is there only when tracing is on; without it nothing on the request path changes.
 */
export function createContainer(config: GatewayConfig, authlete: AuthleteSettings, tracing?: Tracing, openRedis?: OpenRedisConnection): Container {
  const container = new Container({ defaultScope: 'Singleton' });

  container.bind(TOKENS.Config).toConstantValue(config);
  container.bind(TOKENS.AuthleteSettings).toConstantValue(authlete);
  container.bind(TOKENS.Logger).toResolvedValue((c: GatewayConfig) => createLogger(c.logLevel, undefined, tracing?.logFields), [TOKENS.Config]);
  container.bind(TOKENS.Metrics).toResolvedValue(() => {
    const metrics = new GatewayMetrics();
    metrics.watchLostLogLines(linesLost);
    return metrics;
  });
  container.bind(TOKENS.Drain).toResolvedValue(() => new DrainState());

  container
    .bind(TOKENS.AuthleteDispatcher)
    .toResolvedValue((settings: AuthleteSettings) => createAuthleteDispatcher(settings), [TOKENS.AuthleteSettings]);
  // Each typed client exists only for its API version; the registration authority asks for the configured one.
  // With tracing on, each client's calls are client spans; v3's paths name the service, which span names leave out.
  container.bind(TOKENS.AuthleteApiClient).toResolvedValue(
    (settings: AuthleteSettings, dispatcher: Dispatcher) => {
      if (settings.apiVersion !== 'v3') throw new Error('the Authlete v3 client was asked for with AUTHLETE_API_VERSION=v2');
      return createAuthleteApiClient(settings, dispatcher, tracing && ((fetch) => tracing.traceCalls(fetch, settings.serviceId)));
    },
    [TOKENS.AuthleteSettings, TOKENS.AuthleteDispatcher],
  );
  container.bind(TOKENS.AuthleteV2ApiClient).toResolvedValue(
    (settings: AuthleteSettings, dispatcher: Dispatcher) => {
      if (settings.apiVersion !== 'v2') throw new Error('the Authlete v2 client was asked for with AUTHLETE_API_VERSION=v3');
      return createAuthleteV2ApiClient(settings, dispatcher, tracing && ((fetch) => tracing.traceCalls(fetch, undefined)));
    },
    [TOKENS.AuthleteSettings, TOKENS.AuthleteDispatcher],
  );
  container
    .bind(TOKENS.CallGuard)
    .toResolvedValue(
      (settings: AuthleteSettings, logger: Logger, metrics: GatewayMetrics) => {
        const guard = new CallGuard(settings, logger);
        metrics.watchAuthorityLoad(() => guard.load());
        return guard;
      },
      [TOKENS.AuthleteSettings, TOKENS.Logger, TOKENS.Metrics],
    );
  // Admission is asked of the guard whichever authority is bound, so a test's fake authority is shed the same way.
  container.bind(TOKENS.AuthorityAdmission).toService(TOKENS.CallGuard);
  // The paths and credential of the configured API version, shared by the registration calls and introspection.
  container.bind(TOKENS.AuthleteDialect).toDynamicValue((context) => {
    const settings = context.get(TOKENS.AuthleteSettings);
    return settings.apiVersion === 'v2'
      ? v2Dialect(context.get(TOKENS.AuthleteV2ApiClient), settings.serviceApiKey, settings.serviceApiSecret)
      : v3Dialect(context.get(TOKENS.AuthleteApiClient), settings.serviceId, settings.serviceAccessToken);
  });
  container.bind(TOKENS.RegistrationAuthority).toDynamicValue((context) => {
    const settings = context.get(TOKENS.AuthleteSettings);
    return new AuthleteRegistrationAuthority(context.get(TOKENS.AuthleteDialect), settings.timeoutMs, context.get(TOKENS.CallGuard));
  });
  container.bind(TOKENS.InitialAccessTokenChecker).toDynamicValue((context) => {
    const settings = context.get(TOKENS.AuthleteSettings);
    return new AuthleteTokenIntrospection(context.get(TOKENS.AuthleteDialect), settings.timeoutMs, context.get(TOKENS.CallGuard));
  });
  container
    .bind(TOKENS.Limits)
    .toResolvedValue((c: GatewayConfig, logger: Logger, metrics: GatewayMetrics) => createLimits(c.exposure.limits, logger, metrics, openRedis), [
      TOKENS.Config,
      TOKENS.Logger,
      TOKENS.Metrics,
    ]);
  container
    .bind(TOKENS.AuditTrail)
    .toResolvedValue((c: GatewayConfig, logger: Logger, metrics: GatewayMetrics) => openAuditTrail(c.exposure.audit, auditFailureLog(logger, metrics)), [
      TOKENS.Config,
      TOKENS.Logger,
      TOKENS.Metrics,
    ]);
  container
    .bind(TOKENS.Controls)
    .toResolvedValue(
      (c: GatewayConfig, checker: InitialAccessTokenChecker, limits: OpenedLimits, audit: OpenedAuditTrail, metrics: GatewayMetrics): Controls => {
        const access = c.exposure.registrationAccess;
        return {
          registrationAccess: access.kind === 'token' ? new RegistrationAccess(new MeasuredTokenChecker(checker, metrics), access.scopes) : undefined,
          limits: limits.limits,
          audit: audit.trail,
          metrics,
        };
      },
      [TOKENS.Config, TOKENS.InitialAccessTokenChecker, TOKENS.Limits, TOKENS.AuditTrail, TOKENS.Metrics],
    );

  container
    .bind(TOKENS.ClientRegistration)
    .toResolvedValue(
      (authority: RegistrationAuthority, metrics: GatewayMetrics, logger: Logger) =>
        new ClientRegistration(new MeasuredAuthority(authority, metrics, logger)),
      [TOKENS.RegistrationAuthority, TOKENS.Metrics, TOKENS.Logger],
    );

  container
    .bind(TOKENS.HttpApp)
    .toResolvedValue(
      (
        registration: ClientRegistration,
        admission: AuthorityAdmission,
        c: GatewayConfig,
        logger: Logger,
        metrics: GatewayMetrics,
        drain: DrainState,
        controls: Controls,
      ) =>
        createPublicApp({
          registration,
          admission,
          settings: { ...c.http, cors: c.exposure.cors, trustProxyHops: c.exposure.trustProxyHops },
          logger,
          metrics,
          drain,
          controls,
          withOperations: c.admin.sharesPublicListener,
          serverSpans: tracing?.serverSpans,
        }),
      [TOKENS.ClientRegistration, TOKENS.AuthorityAdmission, TOKENS.Config, TOKENS.Logger, TOKENS.Metrics, TOKENS.Drain, TOKENS.Controls],
    );
  container
    .bind(TOKENS.GatewayServer)
    .toResolvedValue(
      (app: Koa<GatewayState>, c: GatewayConfig, drain: DrainState, logger: Logger, metrics: GatewayMetrics) =>
        new GatewayServer(app, listenSettings(c), drain, logger, metrics),
      [TOKENS.HttpApp, TOKENS.Config, TOKENS.Drain, TOKENS.Logger, TOKENS.Metrics],
    );
  container
    .bind(TOKENS.AdminServer)
    .toResolvedValue(
      (c: GatewayConfig, drain: DrainState, logger: Logger, metrics: GatewayMetrics) =>
        new AdminServer(c.admin.sharesPublicListener ? undefined : createAdminApp({ logger, metrics, drain }), adminListenSettings(c), logger, metrics),
      [TOKENS.Config, TOKENS.Drain, TOKENS.Logger, TOKENS.Metrics],
    );

  return container;
}
