import { parse as parseJson } from '@hapi/bourne';
import { parse as parseContentType } from 'content-type';
import { assertNever } from '../../../domain/assert-never';
import { contentCodingOf, readLimitedBody } from '../body/read-limited-body';
import { proceed, type RequestContext, type Step, stop } from '../pipeline';
import { REPLIES } from '../replies';

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

// Fatal: a byte sequence that is not UTF-8 is refused rather than turned into U+FFFD, so what is relayed is
// exactly what was sent. A leading BOM is dropped, as before.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function parsesAsObject(text: string): 'object' | 'not_object' | 'not_json' {
  try {
    // bourne refuses a "__proto__" key, which some consumer merging the metadata could be poisoned by.
    return isJsonObject(parseJson(text, { protoAction: 'error' })) ? 'object' : 'not_object';
  } catch {
    return 'not_json';
  }
}

/**
 * Reads a client metadata body: application/json in UTF-8, within the size limit on the wire and decompressed,
 * within the time limit (the request holds a place among the calls to the authority while it waits), and a JSON
 * object. The text is returned exactly as received, because the authority is to judge the metadata
 * the client actually sent.
 */
export function clientMetadataBody(limitBytes: number, timeoutMs: number): Step<unknown, { metadataJson: string }> {
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
    const coding = contentCodingOf(ctx.req.headers['content-encoding']);
    if (coding === undefined) return stop(REPLIES.encodingUnsupported);
    const read = await readLimitedBody(ctx.req, coding, limitBytes, timeoutMs);
    switch (read.kind) {
      case 'read':
        break;
      case 'too_large':
        return stop(REPLIES.bodyTooLarge(limitBytes));
      case 'corrupt':
        return stop(REPLIES.bodyCorrupt);
      case 'unreadable':
        return stop(REPLIES.bodyUnreadable);
      case 'timed_out':
        return stop(REPLIES.bodyTimedOut(timeoutMs));
      default:
        return assertNever(read);
    }
    const text = decodeUtf8(read.bytes);
    if (text === undefined) return stop(REPLIES.bodyNotUtf8);
    if (text.trim() === '') return stop(REPLIES.bodyMissing);
    switch (parsesAsObject(text)) {
      case 'object':
        return proceed({ metadataJson: text });
      case 'not_object':
        return stop(REPLIES.bodyNotObject);
      case 'not_json':
        return stop(REPLIES.bodyNotJson);
    }
  };
}
