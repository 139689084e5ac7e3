import type { Dispatcher } from 'undici';
import { BufferedResponse } from './buffered-response';
import { LightRequest } from './light-request';

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/**
 * A `fetch` for openapi-fetch that sends through an undici dispatcher (keep-alive pool, connection limits,
 * maximum answer size) and hands back a response already read whole. It follows no redirects: the
 * registration authority has no reason to send one, and a redirect must not carry the service token elsewhere.
 */
export function createUndiciFetch(dispatcher: Dispatcher): (input: Request) => Promise<Response> {
  return async function undiciFetch(input: Request): Promise<Response> {
    const request = await LightRequest.from(input);
    const url = new URL(request.url);
    const answer = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method as Dispatcher.HttpMethod,
      headers: headerRecord(request.headers),
      body: request.peekBody(),
      signal: request.abortSignal(),
    });
    const text = await answer.body.text();
    return new BufferedResponse(text, { status: answer.statusCode, headers: answer.headers, url: request.url });
  };
}
