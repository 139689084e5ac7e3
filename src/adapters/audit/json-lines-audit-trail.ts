import { closeSync, constants, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { AuditEvent } from '../../domain/audit-event';
import type { AuditDestination } from '../../config/exposure-settings';
import type { AuditTrail } from '../../ports/audit-trail';
import { isoTime } from '../logging/iso-time';
import { watchOutputFailures, type OutputFailureWatch } from '../logging/output-failures';
import { processOutput, sameFile, type ProcessOutput } from '../logging/process-output';

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

const NOT_A_FILE = 'a pipe or a socket';

/** What an operator is told when the file cannot be opened at start-up: the setting, the path, what to change. */
export class AuditLogUnopenable extends Error {
  constructor(path: string, code: string) {
    const why =
      code === 'ENOENT'
        ? 'its directory does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code === NOT_A_FILE
              ? 'it is a pipe or a socket, whose reader stalling would hold every request'
              : code;
    super(`AUDIT_LOG: cannot open ${path} for appending (${why}); give a file in an existing, writable directory, or stdout, stderr or off`);
  }
}

/**
 * How much of the trail may wait in memory for a file that fails (a full disk, a file system gone): the
 * stream keeps what it could not write and tries it again with the next event, so without a bound a full disk
 * grew the process by the size of every event since (200,000 refusals: 186 MiB). Past it, events are dropped and
 * counted; what waits is written once the destination takes writes again.
 */
const MAX_WAITING_BYTES = 1024 * 1024;

type AuditStream = ReturnType<typeof pino.destination>;

function openForAppending(path: string): AuditStream {
  try {
    // sync: the file is opened here and now, so a bad path stops the start-up instead of losing events later.
    // Absolute: pino takes a path that reads as a number ("2", " ") for that file descriptor.
    return pino.destination({ dest: resolve(path), append: true, sync: true, maxLength: MAX_WAITING_BYTES });
  } catch (error) {
    throw new AuditLogUnopenable(path, errorCode(error));
  }
}

/** Who hears of the audit file's failures: its writes' (see output-failures.ts), and a reopen that could not be done. */
export interface AuditFileWatch extends OutputFailureWatch {
  /** SIGHUP found the path unopenable; events go on to the file opened before. */
  readonly reopenFailed: (output: string, code: string) => void;
}

function errorCode(error: unknown): string {
  // Structural, not `instanceof Error`: the error may come from another realm (a test runner's sandbox).
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown error';
}

/**
 * Reopens the file at its path (logrotate moved it away). The path is tried first, and sonic-boom asked to
 * reopen only when it opens: a reopen that fails inside sonic-boom throws (unheard in a signal handler, that ended
 * the process) and is reported as a write failure, whose end then read "the audit log is written again" although
 * nothing had been reopened. A path that cannot be opened (its directory removed, a directory in its place) is said
 * once per SIGHUP; events go on to the file still open, and the next SIGHUP tries again.
 */
function reopenSafely(stream: AuditStream, path: string, watch: AuditFileWatch): void {
  try {
    // Without blocking: a named pipe put in the file's place would hold a blocking open, and with it the whole
    // gateway (probes, SIGTERM), until a reader came; it is refused as at start.
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o666);
    const stat = fstatSync(fd);
    closeSync(fd);
    if (stallsWithItsReader(stat)) {
      watch.reopenFailed(path, NOT_A_FILE);
      return;
    }
  } catch (error) {
    // ENXIO: a named pipe nobody reads.
    watch.reopenFailed(path, errorCode(error));
    return;
  }
  try {
    stream.reopen();
  } catch {
    // The path went away in between: sonic-boom reports it as an 'error' event, which the watch hears.
  }
}

/** A pipe or a socket: written as a file, its reader stalling would block every write, and the gateway with it. */
function stallsWithItsReader(stat: Stats): boolean {
  return stat.isFIFO() || stat.isSocket();
}

/**
 * A path that is the process's own stdout or stderr (`/dev/stdout`, `/proc/self/fd/2`) is that output, written as
 * `AUDIT_LOG=stdout` is; written as a file instead, each event was a write that blocked the whole gateway while
 * the pipe's reader stalled, and beside the log's own writer its lines could cut into the log's. Any other pipe or
 * socket (a named pipe to a sidecar) is refused for the same blocking; a device (/dev/null) is written as a file.
 */
function processOutputAt(path: string): 'stdout' | 'stderr' | undefined {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    // Not there yet: a file to create.
    return undefined;
  }
  const isOutput = (fd: 1 | 2): boolean => {
    try {
      return sameFile(stat, fstatSync(fd));
    } catch {
      return false;
    }
  };
  if (isOutput(1)) return 'stdout';
  if (isOutput(2)) return 'stderr';
  if (stallsWithItsReader(stat)) throw new AuditLogUnopenable(path, NOT_A_FILE);
  return undefined;
}

/**
 * The process's output as the trail's destination. An event it drops counts as an audit event lost, not only as a
 * log line lost: an alert on dcr_audit_events_lost_total must hear of it whatever AUDIT_LOG names.
 */
export function eventsTo(output: Pick<ProcessOutput, 'take'>, lost: () => void): DestinationStream {
  return {
    write: (line: string) => {
      if (!output.take(line)) lost();
    },
  };
}

export interface OpenedAuditTrail {
  /** Undefined when the trail is off: no step records anything, and nothing is paid for it. */
  readonly trail: AuditTrail | undefined;
  close(): void;
}

/**
 * Opens the destination. To a file, each event is written at once (no batching): an audit line must survive a
 * crash that follows it; the file is opened for appending and reopened on SIGHUP, so logrotate can move it away.
 * To stdout or stderr, events go out with the log's own batches, never blocking.
 */
export function openAuditTrail(destination: AuditDestination, watch: AuditFileWatch): OpenedAuditTrail {
  switch (destination.kind) {
    case 'off':
      return { trail: undefined, close: () => {} };
    case 'stdout':
    case 'stderr':
      // The process's own output, shared with the log so lines never interleave, and never blocking (see
      // process-output.ts): lines it drops count in dcr_log_lines_lost_total, audit events in their own counter too.
      return { trail: new JsonLinesAuditTrail(eventsTo(processOutput(destination.kind === 'stdout' ? 1 : 2), watch.lost)), close: () => {} };
    case 'file': {
      const output = processOutputAt(destination.path);
      if (output !== undefined) return openAuditTrail({ kind: output }, watch);
      const stream = openForAppending(destination.path);
      // A full disk or a file gone bad never takes the gateway down: the watch says so and counts what is lost.
      const failures = watchOutputFailures(stream, destination.path, watch);
      const path = resolve(destination.path);
      const reopen = (): void => reopenSafely(stream, path, watch);
      process.on('SIGHUP', reopen);
      return {
        trail: new JsonLinesAuditTrail(stream),
        close: () => {
          process.off('SIGHUP', reopen);
          failures.stop();
          stream.end();
        },
      };
    }
  }
}
