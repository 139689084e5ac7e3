import type { Dispatcher } from 'undici';
import { BufferedResponse } from './buffered-response';
import { LightRequest } from './light-request';
import { exchange } from './undici-exchange';

/**
 * An answer in a content coding: undici hands over the bytes as they came, and the gateway decodes none, having
 * asked for identity (a proxy or CDN in front of Authlete may compress when the request says nothing).
 */
export class EncodedAnswer extends Error {
  readonly code = 'ENCODED_ANSWER';

  constructor() {
    super('the answer came in a content coding, though identity was asked for');
    this.name = 'EncodedAnswer';
  }
}

function isEncoded(coding: string | string[] | undefined): boolean {
  if (coding === undefined) return false;
  const codings = Array.isArray(coding) ? coding : [coding];
  return codings.some((value) => value.split(',').some((token) => !['', 'identity'].includes(token.trim().toLowerCase())));
}

function headerRecord(headers: Headers, authorization: string | undefined): Record<string, string> {
  // Without Accept-Encoding, any coding is acceptable (RFC 9110 section 12.5.3).
  const record: Record<string, string> = authorization === undefined ? { 'accept-encoding': 'identity' } : { 'accept-encoding': 'identity', authorization };
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function splitUrl(url: string): [string, string] {
  const parsed = new URL(url);
  return [parsed.origin, parsed.pathname + parsed.search];
}

export interface UndiciFetchOptions {
  /** Where almost every call goes; a URL under it is split without parsing. */
  readonly origin: string;
  /** The most one call may take, waiting for a connection, connecting, sending and reading included. */
  readonly timeoutMs: number;
  /**
   * The service's credential, sent on every call to `origin` and to no other. The transport adds it, rather than
   * openapi-fetch's base headers, so that no `Headers` object (which a middleware or a span could read) ever holds
   * it, and so that it is not validated and copied twice per call.
   */
  readonly authorization: string;
}

/**
 * A `fetch` for openapi-fetch that sends through an undici dispatcher (keep-alive pool, connection limits,
 * maximum answer size) and hands back a response already read whole. It follows no redirects: the
 * registration authority has no reason to send one, and a redirect must not carry the service token elsewhere.
 */
export function createUndiciFetch(dispatcher: Dispatcher, { origin, timeoutMs, authorization }: UndiciFetchOptions): (input: Request) => Promise<Response> {
  const prefix = `${origin}/`;

  async function send(request: LightRequest): Promise<Response> {
    const { url } = request;
    const [to, path] = url.startsWith(prefix) ? [origin, url.slice(origin.length)] : splitUrl(url);
    const answer = await exchange(dispatcher, {
      origin: to,
      path,
      method: request.method as Dispatcher.HttpMethod,
      headers: headerRecord(request.headers, to === origin ? authorization : undefined),
      body: request.peekBody(),
      timeoutMs,
      signal: request.abortSignal(),
    });
    if (isEncoded(answer.headers['content-encoding'])) throw new EncodedAnswer();
    return new BufferedResponse(answer.body, { status: answer.status, headers: answer.headers, url });
  }

  return (input: Request): Promise<Response> => (input instanceof LightRequest ? send(input) : LightRequest.from(input).then(send));
}
