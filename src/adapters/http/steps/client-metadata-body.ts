import { parse as parseJson } from '@hapi/bourne';
import { assertNever } from '../../../domain/assert-never';
import { contentCodingOf, readLimitedBody } from '../body/read-limited-body';
import { clientGone } from '../client-closed';
import { closedOnMalformedBytes } from '../unparsable-request';
import { proceed, type Step, stop } from '../pipeline';
import { REPLIES } from '../replies';

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
 * Reads a client metadata body, its headers already checked (client-metadata-headers.ts): within the size limit on
 * the wire and decompressed, within the time limit (it holds a connection, though no place among the calls to
 * the authority, while it waits), UTF-8, and a JSON object. The text is returned exactly as received, because the
 * authority is to judge the metadata the client actually sent.
 */
export function clientMetadataBody(limitBytes: number, timeoutMs: number): Step<unknown, { metadataJson: string }> {
  return async function clientMetadata(ctx) {
    // Known to be one of the codings read here: the headers step refused any other.
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
        // Cut short because the connection ended (the client hung up, or the shutdown cut it off): nobody gets
        // the 400, and the line says what happened. Ended by the gateway because the body was malformed behind
        // answers still owed (unparsable-request.ts), it is this refusal, unsent.
        if (clientGone(ctx) && !closedOnMalformedBytes(ctx.req.socket)) ctx.state.outcome = 'client_closed';
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
