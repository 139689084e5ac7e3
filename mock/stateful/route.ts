import type { Operation } from './operation';

export type Route =
  | { readonly kind: 'call'; readonly operation: Operation; readonly serviceId: string }
  /** The mock's own endpoint that issues access tokens (for initial access tokens); Authlete has no such API. */
  | { readonly kind: 'mint' }
  | { readonly kind: 'not_found' };

/** Where the mock mints an access token for a scope, so that a restricted registration can be tried. */
export const MINT_PATH = '/mock/access-tokens';

const SUFFIXES: ReadonlyMap<string, Operation> = new Map([
  ['', 'register'],
  ['/get', 'read'],
  ['/update', 'update'],
  ['/delete', 'delete'],
]);

const PATH = /^\/api\/([^/]+)\/(?:client\/registration(\/get|\/update|\/delete)?|auth\/(introspection))$/;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Which of the four calls a request target names; the query string plays no part, as on Authlete. */
export function routeOf(target: string): Route {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  if (path === MINT_PATH) return { kind: 'mint' };
  const match = PATH.exec(path);
  if (match === null) return { kind: 'not_found' };
  const operation = match[3] === undefined ? SUFFIXES.get(match[2] ?? '') : 'introspect';
  const serviceId = decodeSegment(match[1] ?? '');
  // A service ID that decodes to nothing usable (bad escapes, an escaped slash) names no service.
  if (operation === undefined || serviceId === undefined || serviceId === '' || serviceId.includes('/')) return { kind: 'not_found' };
  return { kind: 'call', operation, serviceId };
}
