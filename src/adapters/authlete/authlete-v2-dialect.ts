import type { AuthleteV2ApiClient } from './authlete-api-client';
import type { AuthleteDialect } from './authlete-dialect';

/** API v2 (Authlete 2.x): no service ID in the paths; the HTTP Basic credentials name the service. */
export function v2Dialect(client: AuthleteV2ApiClient): AuthleteDialect {
  return {
    register: (body) => client.POST('/api/client/registration', { body }),
    read: (body) => client.POST('/api/client/registration/get', { body }),
    update: (body) => client.POST('/api/client/registration/update', { body }),
    delete: (body) => client.POST('/api/client/registration/delete', { body }),
    introspect: (body) => client.POST('/api/auth/introspection', { body }),
  };
}
