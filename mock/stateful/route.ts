import type { Operation } from './operation';

/** v3 names the service in the path; v2 has no service ID there, its Basic credentials name the service. */
export type ApiPath = { readonly api: 'v3'; readonly serviceId: string } | { readonly api: 'v2' };

export type Route = ({ readonly kind: 'call'; readonly operation: Operation } & ApiPath) | { readonly kind: 'not_found' };

const SUFFIXES: ReadonlyMap<string, Operation> = new Map([
  ['', 'register'],
  ['/get', 'read'],
  ['/update', 'update'],
  ['/delete', 'delete'],
]);

const V3_PATH = /^\/api\/([^/]+)\/client\/registration(\/get|\/update|\/delete)?$/;
const V2_PATH = /^\/api\/client\/registration(\/get|\/update|\/delete)?$/;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Which of the four calls, in which API version, a request target names; the query string plays no part, as on Authlete. */
export function routeOf(target: string): Route {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const v2 = V2_PATH.exec(path);
  if (v2 !== null) {
    const operation = SUFFIXES.get(v2[1] ?? '');
    return operation === undefined ? { kind: 'not_found' } : { kind: 'call', operation, api: 'v2' };
  }
  const match = V3_PATH.exec(path);
  if (match === null) return { kind: 'not_found' };
  const operation = SUFFIXES.get(match[2] ?? '');
  const serviceId = decodeSegment(match[1] ?? '');
  // A service ID that decodes to nothing usable (bad escapes, an escaped slash) names no service.
  if (operation === undefined || serviceId === undefined || serviceId === '' || serviceId.includes('/')) return { kind: 'not_found' };
  return { kind: 'call', operation, api: 'v3', serviceId };
}
