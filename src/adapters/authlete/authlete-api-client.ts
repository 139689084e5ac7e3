import createClient, { type Client } from 'openapi-fetch';
import { Agent, type Dispatcher } from 'undici';
import type { AuthleteSettings } from '../../config/gateway-config';
import type { paths } from './generated/authlete-api';
import { LightRequest } from './transport/light-request';
import { createUndiciFetch } from './transport/undici-fetch';

export type AuthleteApiClient = Client<paths>;

/** Authlete's answers are a few kilobytes; anything far larger is not an answer worth reading. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** The connection pool to Authlete: kept-alive sockets reused across calls, bounded in number. */
export function createAuthleteDispatcher(settings: AuthleteSettings): Agent {
  return new Agent({
    connections: settings.maxConnections,
    connect: { timeout: settings.timeoutMs },
    maxResponseSize: MAX_ANSWER_BYTES,
  });
}

/** The typed client generated from openapi/authlete.yaml, carrying the service access token on every call. */
export function createAuthleteApiClient(settings: AuthleteSettings, dispatcher: Dispatcher): AuthleteApiClient {
  return createClient<paths>({
    baseUrl: settings.baseUrl,
    headers: { Authorization: `Bearer ${settings.serviceAccessToken.reveal()}` },
    Request: LightRequest,
    fetch: createUndiciFetch(dispatcher, { origin: new URL(settings.baseUrl).origin, timeoutMs: settings.timeoutMs }),
  });
}
