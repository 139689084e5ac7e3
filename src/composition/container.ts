// inversify reads class metadata through the Reflect metadata API; it has to be in place before any binding.
import 'reflect-metadata';
import { Container } from 'inversify';
import type Koa from 'koa';
import type { Agent } from 'undici';
import { createAuthleteApiClient, createAuthleteDispatcher, createAuthleteV2ApiClient } from '../adapters/authlete/authlete-api-client';
import { AuthleteRegistrationAuthority } from '../adapters/authlete/authlete-registration-authority';
import { AuthleteTokenIntrospection } from '../adapters/authlete/authlete-token-introspection';
import { openAuditTrail, type OpenedAuditTrail } from '../adapters/audit/json-lines-audit-trail';
import type { Controls } from '../adapters/http/controls';
import { createLimits, type OpenedLimits } from '../adapters/limits/create-limits';
import { MeasuredTokenChecker } from '../adapters/observability/measured-token-checker';
import { RegistrationAccess } from '../domain/registration-access';
import type { InitialAccessTokenChecker } from '../ports/initial-access-token-checker';
import { v2Dialect } from '../adapters/authlete/authlete-v2-dialect';
import { v3Dialect } from '../adapters/authlete/authlete-v3-dialect';
import { DrainState } from '../adapters/http/drain-state';
import { GatewayServer } from '../adapters/http/gateway-server';
import type { GatewayState } from '../adapters/http/gateway-state';
import { createKoaApp } from '../adapters/http/koa-app';
import { createLogger, type Logger } from '../adapters/logging/create-logger';
import { GatewayMetrics } from '../adapters/observability/gateway-metrics';
import { MeasuredAuthority } from '../adapters/observability/measured-authority';
import type { AuthleteSettings, GatewayConfig } from '../config/gateway-config';
import { ClientRegistration } from '../domain/client-registration';
import type { RegistrationAuthority } from '../ports/registration-authority';
import { TOKENS } from './tokens';

/**
 * The composition root: the only place that knows which adapter serves which port. A test swaps the
 * registration authority by rebinding `TOKENS.RegistrationAuthority`; whatever is bound there is measured.
 */
export function createContainer(config: GatewayConfig, authlete: AuthleteSettings): Container {
  const container = new Container({ defaultScope: 'Singleton' });

  container.bind(TOKENS.Config).toConstantValue(config);
  container.bind(TOKENS.AuthleteSettings).toConstantValue(authlete);
  container.bind(TOKENS.Logger).toResolvedValue((c: GatewayConfig) => createLogger(c.logLevel), [TOKENS.Config]);
  container.bind(TOKENS.Metrics).toResolvedValue(() => new GatewayMetrics());
  container.bind(TOKENS.Drain).toResolvedValue(() => new DrainState());

  container
    .bind(TOKENS.AuthleteDispatcher)
    .toResolvedValue((settings: AuthleteSettings) => createAuthleteDispatcher(settings), [TOKENS.AuthleteSettings]);
  // Each typed client exists only for its API version; the registration authority asks for the configured one.
  container.bind(TOKENS.AuthleteApiClient).toResolvedValue(
    (settings: AuthleteSettings, dispatcher: Agent) => {
      if (settings.apiVersion !== 'v3') throw new Error('the Authlete v3 client was asked for with AUTHLETE_API_VERSION=v2');
      return createAuthleteApiClient(settings, dispatcher);
    },
    [TOKENS.AuthleteSettings, TOKENS.AuthleteDispatcher],
  );
  container.bind(TOKENS.AuthleteV2ApiClient).toResolvedValue(
    (settings: AuthleteSettings, dispatcher: Agent) => {
      if (settings.apiVersion !== 'v2') throw new Error('the Authlete v2 client was asked for with AUTHLETE_API_VERSION=v3');
      return createAuthleteV2ApiClient(settings, dispatcher);
    },
    [TOKENS.AuthleteSettings, TOKENS.AuthleteDispatcher],
  );
  // The paths and credential of the configured API version, shared by the registration calls and introspection.
  container.bind(TOKENS.AuthleteDialect).toDynamicValue((context) => {
    const settings = context.get(TOKENS.AuthleteSettings);
    return settings.apiVersion === 'v2' ? v2Dialect(context.get(TOKENS.AuthleteV2ApiClient)) : v3Dialect(context.get(TOKENS.AuthleteApiClient), settings.serviceId);
  });
  container.bind(TOKENS.RegistrationAuthority).toDynamicValue((context) => {
    const settings = context.get(TOKENS.AuthleteSettings);
    return new AuthleteRegistrationAuthority(context.get(TOKENS.AuthleteDialect), settings.timeoutMs);
  });

  container
    .bind(TOKENS.ClientRegistration)
    .toResolvedValue(
      (authority: RegistrationAuthority, metrics: GatewayMetrics, logger: Logger) =>
        new ClientRegistration(new MeasuredAuthority(authority, metrics, logger)),
      [TOKENS.RegistrationAuthority, TOKENS.Metrics, TOKENS.Logger],
    );

  container.bind(TOKENS.InitialAccessTokenChecker).toDynamicValue((context) => {
    const settings = context.get(TOKENS.AuthleteSettings);
    return new AuthleteTokenIntrospection(context.get(TOKENS.AuthleteDialect), settings.timeoutMs);
  });
  container
    .bind(TOKENS.Limits)
    .toResolvedValue((c: GatewayConfig, logger: Logger, metrics: GatewayMetrics) => createLimits(c.exposure.limits, logger, metrics), [
      TOKENS.Config,
      TOKENS.Logger,
      TOKENS.Metrics,
    ]);
  container.bind(TOKENS.AuditTrail).toResolvedValue((c: GatewayConfig) => openAuditTrail(c.exposure.audit), [TOKENS.Config]);
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
    .bind(TOKENS.HttpApp)
    .toResolvedValue(
      (registration: ClientRegistration, c: GatewayConfig, logger: Logger, metrics: GatewayMetrics, drain: DrainState, controls: Controls) =>
        createKoaApp({
          registration,
          settings: { ...c.http, cors: c.exposure.cors, trustProxyHops: c.exposure.trustProxyHops },
          logger,
          metrics,
          drain,
          controls,
        }),
      [TOKENS.ClientRegistration, TOKENS.Config, TOKENS.Logger, TOKENS.Metrics, TOKENS.Drain, TOKENS.Controls],
    );
  container
    .bind(TOKENS.GatewayServer)
    .toResolvedValue(
      (app: Koa<GatewayState>, c: GatewayConfig, drain: DrainState, logger: Logger) => new GatewayServer(app, c.http, drain, logger),
      [TOKENS.HttpApp, TOKENS.Config, TOKENS.Drain, TOKENS.Logger],
    );

  return container;
}
