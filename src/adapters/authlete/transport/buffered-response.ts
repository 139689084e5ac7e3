import { BufferedBody, type HeldBody } from './buffered-body';
import { PlainHeaders } from './plain-headers';

export interface BufferedResponseInit {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly url: string;
}

/** A `Response` whose body has already been read whole by the transport. */
export class BufferedResponse extends BufferedBody implements Response {
  readonly status: number;
  readonly statusText: string = '';
  readonly ok: boolean;
  readonly headers: PlainHeaders;
  readonly url: string;
  readonly redirected: boolean = false;
  readonly type: Response['type'] = 'basic';

  constructor(body: HeldBody, init: BufferedResponseInit) {
    super(body);
    this.status = init.status;
    this.ok = init.status >= 200 && init.status <= 299;
    this.headers = new PlainHeaders(init.headers);
    this.url = init.url;
  }

  clone(): BufferedResponse {
    return new BufferedResponse(this.copyOfBody(), { status: this.status, headers: this.headers.toRecord(), url: this.url });
  }

  protected override contentType(): string | null {
    return this.headers.get('content-type');
  }
}
