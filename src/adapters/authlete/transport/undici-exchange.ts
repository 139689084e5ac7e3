import type { Dispatcher } from 'undici';

export interface Exchange {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface ExchangeOptions {
  readonly origin: string;
  readonly path: string;
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | null;
  /** The whole exchange, waiting for a pooled connection included, must be over by then. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

/** The exchange did not finish within its time. */
export class DeadlineExceeded extends Error {
  readonly code = 'DEADLINE_EXCEEDED';

  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * One request and its whole answer, through undici's dispatcher directly. undici's `request()` would wrap every
 * answer in a Readable stream and every signal in event listeners; an answer of a few kilobytes read whole
 * needs neither, and on the gateway's hot path both cost more than the call itself. The deadline is one timer:
 * it settles the exchange at once, and aborts the request as soon as it has one to abort (it may still be
 * waiting for a pooled connection).
 */
export function exchange(dispatcher: Dispatcher, options: ExchangeOptions): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let failure: Error | undefined;
    let settled = false;
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];

    const fail = (error: Error): void => {
      failure ??= error;
      controller?.abort(error);
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = (): void => fail(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    const timer = setTimeout(() => fail(new DeadlineExceeded(options.timeoutMs)), options.timeoutMs);
    if (options.signal !== undefined) {
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }

    dispatcher.dispatch(
      { origin: options.origin, path: options.path, method: options.method, headers: options.headers, body: options.body },
      {
        onRequestStart(started) {
          controller = started;
          if (failure !== undefined) started.abort(failure);
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          status = statusCode;
          headers = responseHeaders;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          const body = chunks.length === 1 ? (chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(chunks);
          resolve({ status, headers, body: body.toString('utf8') });
        },
        onResponseError(_controller, error) {
          fail(error);
        },
      },
    );
  });
}
