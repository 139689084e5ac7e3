import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../../config/gateway-config';

export type { Logger };

/**
 * Structured JSON logs, one object per line. Nothing the gateway logs carries a token or a client's metadata:
 * call sites log causes and identifiers, and credentials travel as `Secret`s that print as "[redacted]".
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'dcr-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
