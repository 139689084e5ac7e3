import type { Operation } from './operation';

export type Route =
  | { readonly kind: 'call'; readonly operation: Operation; readonly serviceId: string }
  | { readonly kind: 'not_found' };

const SUFFIXES: ReadonlyMap<string, Operation> = new Map([
  ['', 'register'],
  ['/get', 'read'],
  ['/update', 'update'],
  ['/delete', 'delete'],
]);

const PATH = /^\/api\/([^/]+)\/client\/registration(\/get|\/update|\/delete)?$/;

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
  const match = PATH.exec(path);
  if (match === null) return { kind: 'not_found' };
  const operation = SUFFIXES.get(match[2] ?? '');
  const serviceId = decodeSegment(match[1] ?? '');
  // A service ID that decodes to nothing usable (bad escapes, an escaped slash) names no service.
  if (operation === undefined || serviceId === undefined || serviceId === '' || serviceId.includes('/')) return { kind: 'not_found' };
  return { kind: 'call', operation, serviceId };
}
