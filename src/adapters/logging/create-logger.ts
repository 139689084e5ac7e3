import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../../config/gateway-config';
import { isoTime } from './iso-time';

export type { Logger };

/**
 * stdout, written in batches: lines collect until 4 KiB are waiting, and at least once a second, so a busy
 * gateway makes one write for dozens of lines instead of one per request (a system call on the hot path), and a
 * quiet one still shows each line within a second. Whatever is waiting is written out when the process exits.
 */
function batchedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: 1000 });
  process.once('exit', () => stream.flushSync());
  return stream;
}

/**
 * Structured JSON logs, one object per line. Nothing the gateway logs carries a token or a client's metadata:
 * call sites log causes and identifiers, and credentials travel as `Secret`s that print as "[redacted]".
 * `fields` adds fields to every line (the trace context, when tracing is on).
 */
export function createLogger(level: LogLevel, destination: DestinationStream = batchedStdout(), fields?: () => Record<string, string>): Logger {
  const options = {
    level,
    // With tracing on, each line carries the traceId and spanId of the span it was written in.
    ...(fields !== undefined && { mixin: fields }),
    base: { service: 'dcr-gateway' },
    timestamp: isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(options, destination);
}
