import { bodyParser } from '@koa/bodyparser';
import type { ParameterizedContext } from 'koa';
import { accepted, refused, type Checked } from './checked';
import type { HttpReply } from './http-reply';
import { LocalErrors } from './local-errors';

type Ctx = ParameterizedContext<unknown>;

function bodyFailure(error: unknown, limitBytes: number): HttpReply | undefined {
  // co-body raises a bare SyntaxError for bad JSON (and for a "__proto__" key, which it refuses to parse).
  if (error instanceof SyntaxError) return LocalErrors.bodyNotJson;
  if (!(error instanceof Error)) return undefined;
  const type = 'type' in error ? error.type : undefined;
  const status = 'status' in error ? error.status : undefined;
  if (type === 'entity.too.large' || status === 413) return LocalErrors.bodyTooLarge(limitBytes);
  // raw-body types its errors; the decompression step before it only sets a status.
  if (type === 'encoding.unsupported' || (type === undefined && status === 415)) return LocalErrors.encodingUnsupported;
  if (type === 'charset.unsupported') return LocalErrors.charsetNotUtf8;
  if (typeof status === 'number' && status >= 400 && status < 500) return LocalErrors.bodyUnreadable;
  return undefined;
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UTF8 = new Set(['utf-8', 'utf8']);

/**
 * Reads a client metadata body: application/json in UTF-8, within the size limit, and a JSON object. The text
 * is returned exactly as received, because the authority is to judge the metadata the client actually sent.
 */
export function createMetadataReader(limitBytes: number): (ctx: Ctx) => Promise<Checked<string>> {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, jsonStrict: true, encoding: 'utf-8' });
  const noop = async (): Promise<void> => {};

  return async function readMetadata(ctx: Ctx): Promise<Checked<string>> {
    const type = ctx.request.is('application/json');
    if (type === null || ctx.request.length === 0) return refused(LocalErrors.bodyMissing);
    if (type === false) return refused(LocalErrors.mediaTypeNotJson);
    const charset = ctx.request.charset;
    if (charset !== '' && !UTF8.has(charset.toLowerCase())) return refused(LocalErrors.charsetNotUtf8);
    try {
      await parse(ctx, noop);
    } catch (error) {
      // The error carries the body text it failed on; it is mapped here and never logged.
      const reply = bodyFailure(error, limitBytes);
      if (reply === undefined) throw error;
      return refused(reply);
    }
    const raw: unknown = ctx.request.rawBody;
    const parsed: unknown = ctx.request.body;
    if (typeof raw !== 'string' || raw.trim() === '') return refused(LocalErrors.bodyMissing);
    if (!isJsonObject(parsed)) return refused(LocalErrors.bodyNotObject);
    return accepted(raw);
  };
}
