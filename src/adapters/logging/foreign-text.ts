import type { Secret } from '../../domain/secret';

/** The most of a foreign text (Authlete's message, an unexpected action) that reaches a log line. */
export const MAX_FOREIGN_TEXT = 200;

const REDACTED = '[redacted]';
// Control characters would let a foreign text fake line breaks or terminal escapes in a log viewer.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Cleans text that came from outside (Authlete, a client) before it is logged: every secret of the call it
 * answers is cut out first, whole, then the text is bounded. A fake or misbehaving Authlete that echoes the
 * request would otherwise put the service token and the client's token into a warn line.
 */
export class ForeignTextScrubber {
  readonly #secrets: readonly string[];

  constructor(secrets: readonly (Secret | undefined)[], texts: readonly string[] = []) {
    // Longest first, so a secret that contains another is removed whole.
    this.#secrets = [...secrets.map((secret) => secret?.reveal() ?? ''), ...texts]
      .filter((value) => value.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  clean(text: string): string {
    let cleaned = text;
    for (const secret of this.#secrets) if (cleaned.includes(secret)) cleaned = cleaned.replaceAll(secret, REDACTED);
    // Lone surrogates (which JSON escapes can carry) become U+FFFD: strict JSON readers (serde_json, Vector's)
    // drop a line that has one. The cut never falls inside a pair.
    cleaned = cleaned.replace(CONTROL, ' ').toWellFormed();
    if (cleaned.length <= MAX_FOREIGN_TEXT) return cleaned;
    const end = isHighSurrogate(cleaned.charCodeAt(MAX_FOREIGN_TEXT - 1)) ? MAX_FOREIGN_TEXT - 1 : MAX_FOREIGN_TEXT;
    return `${cleaned.slice(0, end)}…`;
  }
}
