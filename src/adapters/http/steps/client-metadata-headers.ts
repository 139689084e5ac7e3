import { parse as parseContentType } from 'content-type';
import { contentCodingOf, declaredLength } from '../body/read-limited-body';
import { type Nothing, proceed, type RequestContext, type Step, stop } from '../pipeline';
import { REPLIES } from '../replies';

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

const PASSED = proceed({});

/**
 * What a client metadata body's headers say, checked before `Expect: 100-continue` is answered, so that a client
 * about to be refused for them is never invited to send its body: a body there at all, application/json in UTF-8,
 * a Content-Encoding the gateway decodes, and a declared length within the limit.
 */
export function clientMetadataHeaders(limitBytes: number): Step<unknown, Nothing> {
  return function clientMetadataHeaders(ctx) {
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
    const declared = declaredLength(ctx.req);
    if (declared !== undefined && declared > limitBytes) return stop(REPLIES.bodyTooLarge(limitBytes));
    return PASSED;
  };
}
