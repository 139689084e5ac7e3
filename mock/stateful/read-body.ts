import type { IncomingMessage } from 'node:http';

export type BodyRead =
  | { readonly kind: 'body'; readonly text: string }
  | { readonly kind: 'too_large' }
  | { readonly kind: 'too_slow' }
  /** The caller went away mid-body: there is nobody left to answer. */
  | { readonly kind: 'aborted' };

export interface BodyLimits {
  readonly maxBytes: number;
  readonly deadlineMs: number;
}

const ignore = (): void => undefined;

/**
 * Reads the request body as UTF-8 text, never more than `maxBytes` and never for longer than `deadlineMs`,
 * so a body that lies about its length or never ends cannot hold the mock (or its caller) forever.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyRead> {
  // A stream error after the read is over must not become an uncaught exception.
  req.on('error', ignore);
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    req.resume();
    return Promise.resolve({ kind: 'too_large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      // What is still arriving is thrown away, so the caller can finish sending and read the answer.
      if (result.kind !== 'body') req.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxBytes) finish({ kind: 'too_large' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'body', text: Buffer.concat(chunks).toString('utf8') });
    const onClose = (): void => finish({ kind: 'aborted' });
    const timer = setTimeout(() => finish({ kind: 'too_slow' }), limits.deadlineMs);
    timer.unref();
    req.on('data', onData).on('end', onEnd).on('close', onClose);
  });
}
