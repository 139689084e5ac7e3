import { Secret } from '../../domain/secret';
import { basicCredentials, type AuthleteV2ApiClient } from './authlete-api-client';
import type { AuthleteDialect } from './authlete-dialect';

/** API v2 (Authlete 2.x): no service ID in the paths; the HTTP Basic credentials name the service. */
export function v2Dialect(client: AuthleteV2ApiClient, serviceApiKey: string, serviceApiSecret: Secret): AuthleteDialect {
  // The secret alone, and the Basic credential it is sent in, which an echo would quote.
  const credentials = [serviceApiSecret, new Secret(basicCredentials(serviceApiKey, serviceApiSecret.reveal()).slice('Basic '.length))];
  return {
    credentials,
    notForClients: [...credentials, new Secret(serviceApiKey)],
    register: (body, signal) => client.POST('/api/client/registration', { body, signal }),
    read: (body, signal) => client.POST('/api/client/registration/get', { body, signal }),
    update: (body, signal) => client.POST('/api/client/registration/update', { body, signal }),
    delete: (body, signal) => client.POST('/api/client/registration/delete', { body, signal }),
    introspect: (body, signal) => client.POST('/api/auth/introspection', { body, signal }),
  };
}
