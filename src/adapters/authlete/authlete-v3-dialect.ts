import type { AuthleteApiClient } from './authlete-api-client';
import type { AuthleteDialect } from './authlete-dialect';

/** API v3 (Authlete 3.x): the service ID is a path segment; the service access token is a Bearer token. */
export function v3Dialect(client: AuthleteApiClient, serviceId: string): AuthleteDialect {
  const params = { path: { serviceId } };
  return {
    register: (body) => client.POST('/api/{serviceId}/client/registration', { params, body }),
    read: (body) => client.POST('/api/{serviceId}/client/registration/get', { params, body }),
    update: (body) => client.POST('/api/{serviceId}/client/registration/update', { params, body }),
    delete: (body) => client.POST('/api/{serviceId}/client/registration/delete', { params, body }),
    introspect: (body) => client.POST('/api/{serviceId}/auth/introspection', { params, body }),
  };
}
