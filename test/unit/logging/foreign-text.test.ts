import { ForeignTextScrubber, MAX_FOREIGN_TEXT } from '../../../src/adapters/logging/foreign-text';

describe('foreign text in a log line', () => {
  const scrubber = new ForeignTextScrubber([]);

  it('is cut at its bound between two characters, never inside one written as a surrogate pair', () => {
    const cleaned = scrubber.clean(`${'a'.repeat(MAX_FOREIGN_TEXT - 1)}😀 and more`);
    // Before, the cut fell between the two halves of the emoji, leaving a lone \ud83d that strict JSON readers refuse.
    expect(cleaned).toBe(`${'a'.repeat(MAX_FOREIGN_TEXT - 1)}…`);
    expect(cleaned.isWellFormed()).toBe(true);
  });

  it('keeps a pair that ends at the bound whole', () => {
    const text = `${'a'.repeat(MAX_FOREIGN_TEXT - 2)}😀 and more`;
    expect(scrubber.clean(text)).toBe(`${text.slice(0, MAX_FOREIGN_TEXT)}…`);
  });

  it('replaces a lone surrogate it was given (JSON escapes can carry one) with U+FFFD', () => {
    expect(scrubber.clean('broken \ud83d here')).toBe('broken \ufffd here');
  });
});
