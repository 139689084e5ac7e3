import { BufferedBody, type HeldBody } from './buffered-body';

type RequestInput = ConstructorParameters<typeof Request>[0];

const NEVER_ABORTED = new AbortController().signal;

function holdBody(body: RequestInit['body']): HeldBody {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('LightRequest holds string and byte bodies only; this transport never sends streams or forms');
}

/**
 * A `Request` that keeps its body as the string openapi-fetch serialised, for the undici transport to send as
 * it is. The standard class turns every body into a stream that must then be read back; on the gateway's hot
 * path that costs more than the call itself.
 */
export class LightRequest extends BufferedBody implements Request {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  readonly redirect: Request['redirect'];
  readonly cache: Request['cache'] = 'default';
  readonly credentials: Request['credentials'] = 'same-origin';
  readonly destination: Request['destination'] = '';
  readonly integrity: string = '';
  readonly keepalive: boolean = false;
  readonly mode: Request['mode'] = 'cors';
  readonly referrer: string = 'about:client';
  readonly referrerPolicy: Request['referrerPolicy'] = '';
  readonly duplex = 'half' as const;

  constructor(input: RequestInput, init: RequestInit = {}) {
    const copied = input instanceof LightRequest ? input : undefined;
    if (typeof input !== 'string' && !(input instanceof URL) && copied === undefined && init.body === undefined && input.body !== null) {
      throw new TypeError('LightRequest cannot copy the body of a standard Request; use LightRequest.from()');
    }
    super(init.body !== undefined ? holdBody(init.body) : (copied?.copyOfBody() ?? null));
    this.url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    this.method = (init.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase();
    const headers = init.headers ?? (typeof input === 'object' && 'headers' in input ? input.headers : undefined);
    // openapi-fetch hands over a Headers it built for this request alone, so it is adopted rather than copied.
    this.headers = headers instanceof Headers && init.headers !== undefined ? headers : new Headers(headers);
    this.signal = init.signal ?? (typeof input === 'object' && 'signal' in input ? input.signal : NEVER_ABORTED);
    this.redirect = init.redirect ?? 'follow';
  }

  /** Holds any standard Request's body in memory, for a caller that built one itself (a test middleware, say). */
  static async from(request: Request): Promise<LightRequest> {
    if (request instanceof LightRequest) return request;
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    return new LightRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body,
      signal: request.signal,
      redirect: request.redirect,
    });
  }

  /** The caller's signal, or undefined when nobody can abort this request. */
  abortSignal(): AbortSignal | undefined {
    return this.signal === NEVER_ABORTED ? undefined : this.signal;
  }

  clone(): LightRequest {
    return new LightRequest(this, { headers: new Headers(this.headers) });
  }

  protected override contentType(): string | null {
    return this.headers.get('content-type');
  }
}
