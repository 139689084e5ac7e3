import type { ServiceIdentifier } from 'inversify';
import type Koa from 'koa';
import type { Dispatcher } from 'undici';
import type { AuthleteApiClient, AuthleteV2ApiClient } from '../adapters/authlete/authlete-api-client';
import type { AuthleteDialect } from '../adapters/authlete/authlete-dialect';
import type { CallGuard } from '../adapters/authlete/call-guard';
import type { AdminServer } from '../adapters/http/admin-server';
import type { DrainState } from '../adapters/http/drain-state';
import type { GatewayServer } from '../adapters/http/gateway-server';
import type { GatewayState } from '../adapters/http/gateway-state';
import type { Logger } from '../adapters/logging/create-logger';
import type { GatewayMetrics } from '../adapters/observability/gateway-metrics';
import type { AuthleteSettings, GatewayConfig } from '../config/gateway-config';
import type { ClientRegistration } from '../domain/client-registration';
import type { OpenedAuditTrail } from '../adapters/audit/json-lines-audit-trail';
import type { Controls } from '../adapters/http/controls';
import type { OpenedLimits } from '../adapters/limits/create-limits';
import type { InitialAccessTokenChecker } from '../ports/initial-access-token-checker';
import type { AuthorityAdmission } from '../ports/authority-admission';
import type { RegistrationAuthority } from '../ports/registration-authority';

function token<T>(name: string): ServiceIdentifier<T> {
  return Symbol.for(`dcr-gateway:${name}`);
}

/** The names the composition root binds; a test swaps an adapter by rebinding one of them. */
export const TOKENS = {
  Config: token<GatewayConfig>('Config'),
  AuthleteSettings: token<AuthleteSettings>('AuthleteSettings'),
  Logger: token<Logger>('Logger'),
  Metrics: token<GatewayMetrics>('Metrics'),
  Drain: token<DrainState>('Drain'),
  AuthleteDispatcher: token<Dispatcher>('AuthleteDispatcher'),
  AuthleteApiClient: token<AuthleteApiClient>('AuthleteApiClient'),
  CallGuard: token<CallGuard>('CallGuard'),
  AuthorityAdmission: token<AuthorityAdmission>('AuthorityAdmission'),
  AuthleteV2ApiClient: token<AuthleteV2ApiClient>('AuthleteV2ApiClient'),
  AuthleteDialect: token<AuthleteDialect>('AuthleteDialect'),
  RegistrationAuthority: token<RegistrationAuthority>('RegistrationAuthority'),
  ClientRegistration: token<ClientRegistration>('ClientRegistration'),
  InitialAccessTokenChecker: token<InitialAccessTokenChecker>('InitialAccessTokenChecker'),
  Limits: token<OpenedLimits>('Limits'),
  AuditTrail: token<OpenedAuditTrail>('AuditTrail'),
  Controls: token<Controls>('Controls'),
  HttpApp: token<Koa<GatewayState>>('HttpApp'),
  GatewayServer: token<GatewayServer>('GatewayServer'),
  AdminServer: token<AdminServer>('AdminServer'),
} as const;
