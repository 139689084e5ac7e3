/** A body already held in memory: what the gateway sends to, and reads from, the registration authority. */
export type HeldBody = string | Uint8Array | null;

/**
 * The WHATWG body methods over a body held in memory. The methods openapi-fetch uses (`text`, `json`) are
 * plain reads; the rarely used ones hand the bytes to a real `Response` so their behaviour stays standard.
 */
export abstract class BufferedBody {
  #held: HeldBody;
  #used = false;

  protected constructor(held: HeldBody) {
    this.#held = held;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#held === null ? null : new Response(this.#held).body;
  }

  /** The held body for a transport that sends it as it is, without consuming it. */
  peekBody(): HeldBody {
    return this.#held;
  }

  // Settled promises rather than async functions: openapi-fetch awaits one of these on every call.
  text(): Promise<string> {
    try {
      return Promise.resolve(this.#decode());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  json(): Promise<unknown> {
    try {
      return Promise.resolve(JSON.parse(this.#decode()));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async bytes(): ReturnType<Response['bytes']> {
    return this.#standard().bytes();
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#standard().arrayBuffer();
  }

  async blob(): Promise<Blob> {
    return this.#standard().blob();
  }

  async formData(): Promise<FormData> {
    return this.#standard().formData();
  }

  protected copyOfBody(): HeldBody {
    const held = this.#held;
    return held instanceof Uint8Array ? held.slice() : held;
  }

  protected contentType(): string | null {
    return null;
  }

  #decode(): string {
    const held = this.#take();
    if (held === null) return '';
    return typeof held === 'string' ? held : Buffer.from(held.buffer, held.byteOffset, held.byteLength).toString('utf8');
  }

  #take(): HeldBody {
    if (this.#used) throw new TypeError('Body is unusable: it has already been read');
    this.#used = true;
    return this.#held;
  }

  #standard(): Response {
    const held = this.#take();
    const type = this.contentType();
    return new Response(held, type === null ? undefined : { headers: { 'content-type': type } });
  }
}
