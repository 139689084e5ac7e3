import createClient, { type Client } from 'openapi-fetch';
import { Agent, type Dispatcher } from 'undici';
import type { AuthleteCalls, AuthleteV2Settings, AuthleteV3Settings } from '../../config/gateway-config';
import type { paths } from './generated/authlete-api';
import type { paths as v2Paths } from './generated/authlete-api-v2';
import { LightRequest } from './transport/light-request';
import { createUndiciFetch } from './transport/undici-fetch';

/** The typed client of Authlete's API v3 (openapi/authlete.yaml). */
export type AuthleteApiClient = Client<paths>;
/** The typed client of Authlete's API v2 (openapi/authlete-v2.yaml). */
export type AuthleteV2ApiClient = Client<v2Paths>;

/** Authlete's answers are a few kilobytes; anything far larger is not an answer worth reading. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** The connection pool to Authlete: kept-alive sockets reused across calls, bounded in number. */
export function createAuthleteDispatcher(settings: AuthleteCalls): Agent {
  return new Agent({
    connections: settings.maxConnections,
    connect: { timeout: settings.timeoutMs },
    maxResponseSize: MAX_ANSWER_BYTES,
  });
}

// One transport for both API versions: only the paths and the credential differ.
function typedClient<P extends object>(baseUrl: string, authorization: string, calls: AuthleteCalls, dispatcher: Dispatcher): Client<P> {
  return createClient<P>({
    baseUrl,
    headers: { Authorization: authorization },
    Request: LightRequest,
    fetch: createUndiciFetch(dispatcher, { origin: new URL(baseUrl).origin, timeoutMs: calls.timeoutMs }),
  });
}

/** The v3 client, carrying the service access token on every call. */
export function createAuthleteApiClient(settings: AuthleteV3Settings, dispatcher: Dispatcher): AuthleteApiClient {
  return typedClient<paths>(settings.baseUrl, `Bearer ${settings.serviceAccessToken.reveal()}`, settings, dispatcher);
}

/** RFC 7617: the user name and password joined by a colon, in UTF-8, base64-encoded. */
export function basicCredentials(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** The v2 client, carrying the service's API key and secret as HTTP Basic credentials on every call. */
export function createAuthleteV2ApiClient(settings: AuthleteV2Settings, dispatcher: Dispatcher): AuthleteV2ApiClient {
  return typedClient<v2Paths>(settings.baseUrl, basicCredentials(settings.serviceApiKey, settings.serviceApiSecret.reveal()), settings, dispatcher);
}
