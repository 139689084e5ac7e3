import type { Middleware } from 'openapi-fetch';

/**
 * An openapi-fetch middleware that asks Prism for one named example of openapi/authlete.yaml. Tests add it to
 * the client; production code never sends a Prefer header.
 */
export function preferExample(name: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('Prefer', `example=${name}`);
    },
  };
}
