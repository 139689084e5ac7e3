import createClient, { type Client } from 'openapi-fetch';
import type { Dispatcher } from 'undici';
import type { AuthleteSettings } from '../../config/gateway-config';
import type { paths } from './generated/authlete-api';
import { LightRequest } from './transport/light-request';
import { createUndiciFetch } from './transport/undici-fetch';
import type { FetchLike } from '../observability/tracing/tracing';

export type AuthleteApiClient = Client<paths>;

/** The typed client generated from openapi/authlete.yaml, carrying the service access token on every call. */
export function createAuthleteApiClient(settings: AuthleteSettings, dispatcher: Dispatcher, traced?: (fetch: FetchLike) => FetchLike): AuthleteApiClient {
  const fetch = createUndiciFetch(dispatcher, { origin: new URL(settings.baseUrl).origin, timeoutMs: settings.timeoutMs });
  return createClient<paths>({
    baseUrl: settings.baseUrl,
    headers: { Authorization: `Bearer ${settings.serviceAccessToken.reveal()}` },
    Request: LightRequest,
    // With tracing on, each call is a client span and carries its traceparent; off, the transport is called as it is.
    fetch: traced === undefined ? fetch : traced(fetch),
  });
}
