import type { Operation } from './operation';

/** v3 names the service in the path; v2 has no service ID there, its Basic credentials name the service. */
export type ApiPath = { readonly api: 'v3'; readonly serviceId: string } | { readonly api: 'v2' };

export type Route =
  | ({ readonly kind: 'call'; readonly operation: Operation } & ApiPath)
  /** The mock's own endpoint that issues access tokens (for initial access tokens); Authlete has no such API. */
  | { readonly kind: 'mint' }
  | { readonly kind: 'not_found' };

/** Where the mock mints an access token for a scope, so that a restricted registration can be tried. */
export const MINT_PATH = '/mock/access-tokens';

// The part of the path after /api/ (v2) or /api/{serviceId}/ (v3), and the call it names.
const CALLS: ReadonlyMap<string, Operation> = new Map([
  ['client/registration', 'register'],
  ['client/registration/get', 'read'],
  ['client/registration/update', 'update'],
  ['client/registration/delete', 'delete'],
  ['auth/introspection', 'introspect'],
]);

const CALL = '(client/registration(?:/get|/update|/delete)?|auth/introspection)';
const V3_PATH = new RegExp(`^/api/([^/]+)/${CALL}$`);
const V2_PATH = new RegExp(`^/api/${CALL}$`);

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Which call, in which API version, a request target names; the query string plays no part, as on Authlete. */
export function routeOf(target: string): Route {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  if (path === MINT_PATH) return { kind: 'mint' };
  const v2 = V2_PATH.exec(path);
  if (v2 !== null) {
    const operation = CALLS.get(v2[1] ?? '');
    return operation === undefined ? { kind: 'not_found' } : { kind: 'call', operation, api: 'v2' };
  }
  const match = V3_PATH.exec(path);
  if (match === null) return { kind: 'not_found' };
  const operation = CALLS.get(match[2] ?? '');
  const serviceId = decodeSegment(match[1] ?? '');
  // A service ID that decodes to nothing usable (bad escapes, an escaped slash) names no service.
  if (operation === undefined || serviceId === undefined || serviceId === '' || serviceId.includes('/')) return { kind: 'not_found' };
  return { kind: 'call', operation, api: 'v3', serviceId };
}
