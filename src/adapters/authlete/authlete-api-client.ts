import createClient, { createQuerySerializer, type Client } from 'openapi-fetch';
import type { Dispatcher } from 'undici';
import type { AuthleteCalls, AuthleteV2Settings, AuthleteV3Settings } from '../../config/gateway-config';
import type { paths } from './generated/authlete-api';
import type { paths as v2Paths } from './generated/authlete-api-v2';
import { LightRequest } from './transport/light-request';
import { createUndiciFetch } from './transport/undici-fetch';
import type { FetchLike } from '../observability/tracing/tracing';

/** Wraps the transport in a client span per call, when tracing is on. */
export type TraceCalls = (fetch: FetchLike) => FetchLike;

/** The typed client of Authlete's API v3 (openapi/authlete.yaml). */
export type AuthleteApiClient = Client<paths>;
/** The typed client of Authlete's API v2 (openapi/authlete-v2.yaml). */
export type AuthleteV2ApiClient = Client<v2Paths>;

/** Every body sent to Authlete is JSON; the default serializer looks up the content type on each call to find out. */
function jsonBody(body: unknown): string {
  return JSON.stringify(body);
}

// One transport for both API versions: only the paths and the credential differ.
function typedClient<P extends object>(baseUrl: string, authorization: string, calls: AuthleteCalls, dispatcher: Dispatcher, traced: TraceCalls | undefined): Client<P> {
  const fetch = createUndiciFetch(dispatcher, { origin: new URL(baseUrl).origin, timeoutMs: calls.timeoutMs, authorization });
  return createClient<P>({
    baseUrl,
    // A function built once: given options or nothing, openapi-fetch builds the serializer again on every call.
    querySerializer: createQuerySerializer(),
    bodySerializer: jsonBody,
    Request: LightRequest,
    // With tracing on, each call is a client span and carries its traceparent; off, the transport is called as it is.
    fetch: traced === undefined ? fetch : traced(fetch),
  });
}

/** The v3 client, carrying the service access token on every call. */
export function createAuthleteApiClient(settings: AuthleteV3Settings, dispatcher: Dispatcher, traced?: TraceCalls): AuthleteApiClient {
  return typedClient<paths>(settings.baseUrl, `Bearer ${settings.serviceAccessToken.reveal()}`, settings, dispatcher, traced);
}

/** RFC 7617: the user name and password joined by a colon, in UTF-8, base64-encoded. */
export function basicCredentials(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** The v2 client, carrying the service's API key and secret as HTTP Basic credentials on every call. */
export function createAuthleteV2ApiClient(settings: AuthleteV2Settings, dispatcher: Dispatcher, traced?: TraceCalls): AuthleteV2ApiClient {
  return typedClient<v2Paths>(settings.baseUrl, basicCredentials(settings.serviceApiKey, settings.serviceApiSecret.reveal()), settings, dispatcher, traced);
}
