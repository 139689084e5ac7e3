import { resolve } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { AuditEvent } from '../../domain/audit-event';
import type { AuditDestination } from '../../config/exposure-settings';
import type { AuditTrail } from '../../ports/audit-trail';
import { isoTime } from '../logging/iso-time';

/** The audit trail as JSON lines, one object per event, on a logger of its own (never the access log's). */
export class JsonLinesAuditTrail implements AuditTrail {
  readonly #logger: Logger;

  constructor(destination: DestinationStream) {
    this.#logger = pino(
      // The level is meaningless here; its slot, first on the line, says which log this is.
      { base: null, timestamp: isoTime, formatters: { level: () => ({ log: 'audit' }) } },
      destination,
    );
  }

  record(event: AuditEvent): void {
    this.#logger.info(event);
  }
}

/** What an operator is told when the file cannot be opened at start-up: the setting, the path, what to change. */
export class AuditLogUnopenable extends Error {
  constructor(path: string, code: string) {
    const why = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code;
    super(`AUDIT_LOG: cannot open ${path} for appending (${why}); give a file in an existing, writable directory, or stdout, stderr or off`);
  }
}

function openForAppending(path: string): ReturnType<typeof pino.destination> {
  try {
    // sync: the file is opened here and now, so a bad path stops the start-up instead of losing events later.
    // Absolute: pino takes a path that reads as a number ("2", " ") for that file descriptor.
    return pino.destination({ dest: resolve(path), append: true, sync: true });
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown error';
    throw new AuditLogUnopenable(path, code);
  }
}

export interface OpenedAuditTrail {
  /** Undefined when the trail is off: no step records anything, and nothing is paid for it. */
  readonly trail: AuditTrail | undefined;
  close(): void;
}

/**
 * Opens the destination. Each event is written at once (no batching): an audit line must survive a crash that
 * follows it. A file is opened for appending and reopened on SIGHUP, so logrotate can move it away.
 */
export function openAuditTrail(destination: AuditDestination): OpenedAuditTrail {
  switch (destination.kind) {
    case 'off':
      return { trail: undefined, close: () => {} };
    case 'stdout':
    case 'stderr':
      return { trail: new JsonLinesAuditTrail(pino.destination({ dest: destination.kind === 'stdout' ? 1 : 2, sync: true })), close: () => {} };
    case 'file': {
      const stream = openForAppending(destination.path);
      // A full disk or a file gone bad is said on stderr, once per kind of failure; it never takes the gateway down.
      const reported = new Set<string>();
      stream.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? error.name;
        if (reported.has(code)) return;
        reported.add(code);
        process.stderr.write(`dcr-gateway: the audit log ${destination.path} cannot be written (${code}); events are lost until it can\n`);
      });
      const reopen = (): void => stream.reopen();
      process.on('SIGHUP', reopen);
      return {
        trail: new JsonLinesAuditTrail(stream),
        close: () => {
          process.off('SIGHUP', reopen);
          stream.end();
        },
      };
    }
  }
}
