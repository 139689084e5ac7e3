import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../../config/gateway-config';
import { isoTime } from './iso-time';
import { processOutput } from './process-output';

export type { Logger };

/**
 * Structured JSON logs, one object per line. Nothing the gateway logs carries a token or a client's metadata:
 * call sites log causes and identifiers, and credentials travel as `Secret`s that print as "[redacted]".
 * `fields` adds fields to every line (the trace context, when tracing is on).
 */
export function createLogger(level: LogLevel, destination: DestinationStream = processOutput(1).lines, fields?: () => Record<string, string>): Logger {
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
