import type { Secret } from '../../domain/secret';
import type { AuthleteApiClient } from './authlete-api-client';
import type { AuthleteDialect } from './authlete-dialect';

/** API v3 (Authlete 3.x): the service ID is a path segment; the service access token is a Bearer token. */
export function v3Dialect(client: AuthleteApiClient, serviceId: string, serviceAccessToken: Secret): AuthleteDialect {
  const params = { path: { serviceId } };
  const credentials = [serviceAccessToken];
  return {
    credentials,
    notForClients: credentials,
    register: (body, signal) => client.POST('/api/{serviceId}/client/registration', { params, body, signal }),
    read: (body, signal) => client.POST('/api/{serviceId}/client/registration/get', { params, body, signal }),
    update: (body, signal) => client.POST('/api/{serviceId}/client/registration/update', { params, body, signal }),
    delete: (body, signal) => client.POST('/api/{serviceId}/client/registration/delete', { params, body, signal }),
    introspect: (body, signal) => client.POST('/api/{serviceId}/auth/introspection', { params, body, signal }),
  };
}
