import { bodyParser } from '@koa/bodyparser';
import { parse as parseContentType } from 'content-type';
import type { HttpReply } from '../http-reply';
import { proceed, type RequestContext, type Step, stop } from '../pipeline';
import { REPLIES } from '../replies';

function bodyFailure(error: unknown, limitBytes: number): HttpReply | undefined {
  // co-body raises a bare SyntaxError for bad JSON (and for a "__proto__" key, which it refuses to parse).
  if (error instanceof SyntaxError) return REPLIES.bodyNotJson;
  if (!(error instanceof Error)) return undefined;
  const type = 'type' in error ? error.type : undefined;
  const status = 'status' in error ? error.status : undefined;
  if (type === 'entity.too.large' || status === 413) return REPLIES.bodyTooLarge(limitBytes);
  // raw-body types its errors; the decompression step before it only sets a status.
  if (type === 'encoding.unsupported' || (type === undefined && status === 415)) return REPLIES.encodingUnsupported;
  if (type === 'charset.unsupported') return REPLIES.charsetNotUtf8;
  if (typeof status === 'number' && status >= 400 && status < 500) return REPLIES.bodyUnreadable;
  return undefined;
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UTF8 = new Set(['utf-8', 'utf8']);

type MediaType = 'json' | 'not_json' | 'not_utf8' | 'none';

/** What the Content-Type header says, read once; the canonical `application/json` needs no parsing at all. */
function mediaTypeOf(header: string | undefined): MediaType {
  if (header === 'application/json') return 'json';
  if (header === undefined || header === '') return 'none';
  try {
    const { type, parameters } = parseContentType(header);
    if (type !== 'application/json') return 'not_json';
    const charset = parameters['charset'];
    return charset === undefined || UTF8.has(charset.toLowerCase()) ? 'json' : 'not_utf8';
  } catch {
    return 'not_json';
  }
}

function hasBody(ctx: RequestContext): boolean {
  const { headers } = ctx.req;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/**
 * Reads a client metadata body: application/json in UTF-8, within the size limit, and a JSON object. The text
 * is returned exactly as received, because the authority is to judge the metadata the client actually sent.
 */
export function clientMetadataBody(limitBytes: number): Step<unknown, { metadataJson: string }> {
  // The media type is settled before the parser runs, so it is told the body is JSON rather than finding out again.
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limitBytes,
    jsonStrict: true,
    encoding: 'utf-8',
    detectJSON: () => true,
  });
  const noop = async (): Promise<void> => {};

  return async function clientMetadata(ctx) {
    if (!hasBody(ctx)) return stop(REPLIES.bodyMissing);
    switch (mediaTypeOf(ctx.req.headers['content-type'])) {
      case 'json':
        break;
      case 'not_utf8':
        return stop(REPLIES.charsetNotUtf8);
      case 'none':
      case 'not_json':
        return stop(REPLIES.mediaTypeNotJson);
    }
    try {
      await parse(ctx, noop);
    } catch (error) {
      // The error carries the body text it failed on; it is mapped here and never logged.
      const reply = bodyFailure(error, limitBytes);
      if (reply === undefined) throw error;
      return stop(reply);
    }
    const raw: unknown = ctx.request.rawBody;
    const parsed: unknown = ctx.request.body;
    if (typeof raw !== 'string' || raw.trim() === '') return stop(REPLIES.bodyMissing);
    if (!isJsonObject(parsed)) return stop(REPLIES.bodyNotObject);
    return proceed({ metadataJson: raw });
  };
}
