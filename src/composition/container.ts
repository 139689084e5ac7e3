// inversify reads class metadata through the Reflect metadata API; it has to be in place before any binding.
import 'reflect-metadata';
import { Container } from 'inversify';
import {
  createAuthleteApiClient,
  createAuthleteDispatcher,
  type AuthleteApiClient,
} from '../adapters/authlete/authlete-api-client';
import { AuthleteRegistrationAuthority } from '../adapters/authlete/authlete-registration-authority';
import { GatewayServer } from '../adapters/http/gateway-server';
import { createKoaApp } from '../adapters/http/koa-app';
import { createLogger, type Logger } from '../adapters/logging/create-logger';
import type { GatewayConfig } from '../config/gateway-config';
import { ClientRegistration } from '../domain/client-registration';
import type { RegistrationAuthority } from '../ports/registration-authority';
import type Koa from 'koa';
import type { Agent } from 'undici';
import type { GatewayState } from '../adapters/http/gateway-state';
import { TOKENS } from './tokens';

/** The composition root: the only place that knows which adapter serves which port. */
export function createContainer(config: GatewayConfig): Container {
  const container = new Container({ defaultScope: 'Singleton' });

  container.bind(TOKENS.Config).toConstantValue(config);
  container.bind(TOKENS.Logger).toResolvedValue((c: GatewayConfig) => createLogger(c.logLevel), [TOKENS.Config]);

  container
    .bind(TOKENS.AuthleteDispatcher)
    .toResolvedValue((c: GatewayConfig) => createAuthleteDispatcher(c.authlete), [TOKENS.Config]);
  container
    .bind(TOKENS.AuthleteApiClient)
    .toResolvedValue((c: GatewayConfig, dispatcher: Agent) => createAuthleteApiClient(c.authlete, dispatcher), [
      TOKENS.Config,
      TOKENS.AuthleteDispatcher,
    ]);
  container
    .bind(TOKENS.RegistrationAuthority)
    .toResolvedValue((client: AuthleteApiClient, c: GatewayConfig) => new AuthleteRegistrationAuthority(client, c.authlete), [
      TOKENS.AuthleteApiClient,
      TOKENS.Config,
    ]);

  container
    .bind(TOKENS.ClientRegistration)
    .toResolvedValue((authority: RegistrationAuthority) => new ClientRegistration(authority), [TOKENS.RegistrationAuthority]);

  container
    .bind(TOKENS.HttpApp)
    .toResolvedValue(
      (registration: ClientRegistration, c: GatewayConfig, logger: Logger) =>
        createKoaApp({ registration, settings: c.http, logger }),
      [TOKENS.ClientRegistration, TOKENS.Config, TOKENS.Logger],
    );
  container
    .bind(TOKENS.GatewayServer)
    .toResolvedValue((app: Koa<GatewayState>, c: GatewayConfig, logger: Logger) => new GatewayServer(app, c.http, logger), [
      TOKENS.HttpApp,
      TOKENS.Config,
      TOKENS.Logger,
    ]);

  return container;
}
