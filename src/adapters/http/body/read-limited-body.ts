import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';

/** The content codings a body may arrive in (RFC 9110 section 8.4.1), named in lower case. */
export type ContentCoding = 'identity' | 'gzip' | 'deflate' | 'br';

export type BodyRead =
  | { readonly kind: 'read'; readonly bytes: Buffer }
  /** Over the limit on the wire, or once decompressed. */
  | { readonly kind: 'too_large' }
  /** The compressed stream is not valid gzip, deflate or brotli. */
  | { readonly kind: 'corrupt' }
  /** The client stopped sending, or sent less than its Content-Length. */
  | { readonly kind: 'unreadable' }
  /** Not all there within the time limit. */
  | { readonly kind: 'timed_out' };

const TIMED_OUT: BodyRead = { kind: 'timed_out' };

const CODINGS: Readonly<Record<string, ContentCoding>> = { identity: 'identity', gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate', br: 'br' };

/** The body's one content coding, compared without regard to case as RFC 9110 says; undefined for any other. */
export function contentCodingOf(header: string | undefined): ContentCoding | undefined {
  if (header === undefined) return 'identity';
  const name = header.trim().toLowerCase();
  return name === '' ? 'identity' : CODINGS[name];
}

function decoderFor(coding: Exclude<ContentCoding, 'identity'>): NodeJS.ReadWriteStream & Readable {
  switch (coding) {
    case 'gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
  }
}

class WireLimitExceeded extends Error {
  readonly type = 'entity.too.large';
}

interface TypedError {
  readonly type?: unknown;
  readonly code?: unknown;
}

function isTypedError(error: unknown): error is TypedError {
  return typeof error === 'object' && error !== null;
}

/** What zlib raises for a stream it cannot decode: Z_DATA_ERROR, Z_BUF_ERROR, ..., and brotli's ERR__ERROR_FORMAT_.... */
function isDecodingError(error: TypedError): boolean {
  return typeof error.code === 'string' && (error.code.startsWith('Z_') || error.code.startsWith('ERR__ERROR') || error.code.startsWith('ERR_BROTLI'));
}

/** The body's length as its Content-Length declares it (Node has already refused a malformed one). */
export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/**
 * Settles with the read, or with `timed_out` once `timeoutMs` have passed. A body already all there needs no
 * timer. After a timeout the read is left to run out: what still arrives is bounded by the limit and dropped,
 * and the connection is closed soon after the answer (the frame's discardUnreadBody).
 */
function within(req: IncomingMessage, timeoutMs: number, reading: Promise<BodyRead>): Promise<BodyRead> {
  if (req.complete) return reading;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    reading.then(
      (read) => {
        clearTimeout(timer);
        resolve(read);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Reads a request body whole, within `limitBytes` counted twice: the bytes on the wire and the bytes once
 * decompressed, and within `timeoutMs`. Counting only the decompressed ones let a deflate stream of empty stored
 * blocks, which decompresses to nothing, run for as long as its sender liked.
 */
export async function readLimitedBody(req: IncomingMessage, coding: ContentCoding, limitBytes: number, timeoutMs: number): Promise<BodyRead> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > limitBytes) return { kind: 'too_large' };
  if (coding === 'identity') return within(req, timeoutMs, settle(getRawBody(req, { limit: limitBytes, length: declared ?? null })));

  const decoder = decoderFor(coding);
  let onTheWire = 0;
  const countWire = (chunk: Buffer): void => {
    onTheWire += chunk.length;
    if (onTheWire > limitBytes) {
      req.unpipe(decoder);
      decoder.destroy(new WireLimitExceeded('the compressed body is over the limit'));
    }
  };
  // pipe() does not pass a hang-up on: the decoder, and all it has decoded, would wait out the timeout for a client
  // that is gone, and a flood of small compressed bodies cut short would hold the memory of their decoded sizes.
  const hungUp = (): void => {
    if (!req.complete) decoder.destroy(Object.assign(new Error('the client hung up before its body ended'), { code: 'ECONNRESET' }));
  };
  req.on('data', countWire);
  req.once('close', hungUp);
  req.pipe(decoder);
  try {
    return await within(req, timeoutMs, settle(getRawBody(decoder, { limit: limitBytes })));
  } finally {
    req.off('data', countWire);
    req.off('close', hungUp);
    req.unpipe(decoder);
    decoder.destroy();
  }
}

async function settle(reading: Promise<Buffer>): Promise<BodyRead> {
  try {
    return { kind: 'read', bytes: await reading };
  } catch (error) {
    if (!isTypedError(error)) throw error;
    if (error.type === 'entity.too.large') return { kind: 'too_large' };
    if (isDecodingError(error)) return { kind: 'corrupt' };
    // raw-body's own: request.aborted, request.size.invalid, stream.encoding.set, ...
    if (typeof error.type === 'string' || error.code === 'ECONNRESET' || error.code === 'ERR_STREAM_PREMATURE_CLOSE') return { kind: 'unreadable' };
    throw error;
  }
}
