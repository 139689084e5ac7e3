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
import type { AuthleteSettings, GatewayConfig } from '../config/gateway-config';
import { ClientRegistration } from '../domain/client-registration';
import type { RegistrationAuthority } from '../ports/registration-authority';
import type Koa from 'koa';
import type { Agent } from 'undici';
import type { GatewayState } from '../adapters/http/gateway-state';
import { TOKENS } from './tokens';

/** The composition root: the only place that knows which adapter serves which port. */
export function createContainer(config: GatewayConfig, authlete: AuthleteSettings): Container {
  const container = new Container({ defaultScope: 'Singleton' });

  container.bind(TOKENS.Config).toConstantValue(config);
  container.bind(TOKENS.AuthleteSettings).toConstantValue(authlete);
  container.bind(TOKENS.Logger).toResolvedValue((c: GatewayConfig) => createLogger(c.logLevel), [TOKENS.Config]);

  container
    .bind(TOKENS.AuthleteDispatcher)
    .toResolvedValue((settings: AuthleteSettings) => createAuthleteDispatcher(settings), [TOKENS.AuthleteSettings]);
  container
    .bind(TOKENS.AuthleteApiClient)
    .toResolvedValue((settings: AuthleteSettings, dispatcher: Agent) => createAuthleteApiClient(settings, dispatcher), [
      TOKENS.AuthleteSettings,
      TOKENS.AuthleteDispatcher,
    ]);
  container
    .bind(TOKENS.RegistrationAuthority)
    .toResolvedValue((client: AuthleteApiClient, settings: AuthleteSettings) => new AuthleteRegistrationAuthority(client, settings), [
      TOKENS.AuthleteApiClient,
      TOKENS.AuthleteSettings,
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
