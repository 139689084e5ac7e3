import type Router from '@koa/router';
import type { Endpoint, EndpointDependencies } from '../endpoint';
import type { GatewayState } from '../gateway-state';
import { deleteClientEndpoint } from './delete-client';
import { readClientEndpoint } from './read-client';
import { registerClientEndpoint } from './register-client';
import { updateClientEndpoint } from './update-client';

/** The registration endpoint and the client configuration endpoint beneath it, each operation once. */
export function registrationEndpoints(dependencies: EndpointDependencies): readonly Endpoint[] {
  return [registerClientEndpoint, readClientEndpoint, updateClientEndpoint, deleteClientEndpoint].map((define) => define(dependencies));
}

/** Puts the endpoints on the router: `registrationPath` and `registrationPath/{client_id}`. */
export function routeEndpoints(router: Router<GatewayState>, endpoints: readonly Endpoint[], registrationPath: string): void {
  const paths = { registration: registrationPath, client: `${registrationPath}/:clientId` } as const;
  for (const { method, path, handle } of endpoints) router.register(paths[path], [method], handle);
}
