let secondStart = Number.NaN;
let secondPrefix = '';

/**
 * pino's `timestamp` option: `,"time":"2026-11-26T15:04:26.101Z"`. `Date#toISOString` is the most expensive
 * part of an access log line, so the text up to the seconds is kept for the second it belongs to and only the
 * milliseconds are written per line.
 */
export function isoTime(): string {
  const now = Date.now();
  const ms = now - secondStart;
  if (!(ms >= 0 && ms < 1000)) {
    secondStart = now - (now % 1000);
    secondPrefix = new Date(secondStart).toISOString().slice(0, 20);
    return `,"time":"${secondPrefix}${String(now % 1000).padStart(3, '0')}Z"`;
  }
  return `,"time":"${secondPrefix}${String(ms).padStart(3, '0')}Z"`;
}
