import { constants, fstatSync, openSync, type Stats } from 'node:fs';
import type { DestinationStream } from 'pino';
import SonicBoom from 'sonic-boom';
import { watchOutputFailures } from './output-failures';

/**
 * What may wait in memory for stdout or stderr when its reader is slow or stuck: past it, lines are dropped and
 * counted rather than kept for ever.
 */
const MAX_WAITING_BYTES = 16 * 1024 * 1024;

/** Where a logger writes its lines, and what `logger.flush()` writes out at once. */
export interface LineDestination extends DestinationStream {
  flush(done?: (error?: Error) => unknown): void;
}

/** One of the process's own outputs, written without ever blocking the event loop. */
export interface ProcessOutput {
  /** Where a logger writes its lines. */
  readonly lines: LineDestination;
  /** Lines dropped since start because the output failed or was too slow. */
  lost(): number;
  /** Writes one line as `lines` does; false when it was dropped (and counted in `lost`). */
  take(line: string): boolean;
  /** Writes what waits and closes the output, for the moment before a planned exit; at most `timeoutMs`. */
  drained(timeoutMs: number): Promise<void>;
}

declare module 'sonic-boom' {
  interface SonicBoom {
    /** With `contentMode: 'buffer'`, which sonic-boom's own types leave out. */
    write(chunk: Buffer): boolean;
  }
}

const NOTHING = Buffer.alloc(0);

const opened = new Map<1 | 2, ProcessOutput>();

/** Larger than sonic-boom's 16 KiB, so that under a flood one write per turn of the event loop keeps up. */
const MAX_WRITE_BYTES = 1024 * 1024;

/**
 * How to write to the output. A regular file never blocks: it is written synchronously, in batches, as before.
 * Anything else may block when its reader stalls, and is written asynchronously through a descriptor that does not
 * block, so that a write that finds it full fails with EAGAIN and is tried again 100 ms later. A blocking write
 * instead held a worker thread until someone read, and with it the process's exit, for ever (Node waits for its
 * worker threads at exit):
 * - a pipe or a device (a terminal, /dev/null) gets a descriptor of its own, opened through /proc without blocking;
 * - a socket (a parent's `stdio: 'pipe'`, systemd's journal) cannot be opened again: Node's own stdout or stderr
 *   stream is made, which puts the descriptor into non-blocking mode, as libuv does to every stream it opens.
 */
function writerFor(fd: 1 | 2): { readonly fd: number; readonly sync: boolean } {
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return { fd, sync: true };
    if (stat.isSocket()) {
      void (fd === 1 ? process.stdout : process.stderr);
      return { fd, sync: false };
    }
    return { fd: openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY), sync: false };
  } catch {
    // No /proc (not Linux), or no reader left: the descriptor as it is.
    return { fd, sync: false };
  }
}

/**
 * Whether stdout and stderr are one destination (`2>&1`, one terminal): then they share one writer. Two writers on
 * one pipe interleaved once the reader lagged: a batch written in part left half a line, and the other writer's
 * batch went in the middle of it.
 */
function oneDestination(): boolean {
  try {
    return sameFile(fstatSync(1), fstatSync(2));
  } catch {
    return false;
  }
}

/** Whether two stats are of one file (one pipe, one terminal, one regular file). */
export function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * stdout or stderr as the logs' destination, one per process, shared by every logger writing there so that their
 * lines never interleave. A pipe is written asynchronously: one nobody reads (a stuck log collector, a blocking
 * Docker logging driver) used to block each synchronous write, and with it every request, the probes and SIGTERM.
 * Lines collect until 4 KiB wait and at least once a second; while the output fails or stalls, up to 16 MiB wait and
 * the rest are dropped and counted. A failure is said once per episode on the other output (stderr for stdout).
 */
export function processOutput(fd: 1 | 2): ProcessOutput {
  const existing = opened.get(fd);
  if (existing !== undefined) return existing;
  const twin = opened.get(fd === 1 ? 2 : 1);
  if (twin !== undefined && oneDestination()) {
    opened.set(fd, twin);
    return twin;
  }
  // sonic-boom itself, not pino.destination: pino's wrapper flushes synchronously at exit, which on a pipe nobody
  // reads blocks the exit for ever. What waits is written before a planned exit instead (`drained`).
  //
  // Buffers, not text: given text, sonic-boom measures the UTF-8 length of the whole batch waiting at each new line
  // (and converts each batch twice), which cost 5 to 6 µs a line against 1 to 1.5 as buffers when the writes are
  // asynchronous, and far more while a stuck reader lets a batch grow towards 1 MiB.
  const stream = new SonicBoom({ ...writerFor(fd), contentMode: 'buffer', minLength: 4096, maxWrite: MAX_WRITE_BYTES, maxLength: MAX_WAITING_BYTES, periodicFlush: 1000 });
  const lines: LineDestination = {
    write: (line: string) => stream.write(Buffer.from(line)),
    // pino's logger.flush() calls it: the start-up and shutdown lines go out at once, not with the next batch.
    flush: (done?: (error?: Error) => unknown) => stream.flush(done),
  };
  const name = fd === 1 ? 'stdout' : 'stderr';
  let lost = 0;
  watchOutputFailures(
    stream,
    name,
    {
      failing: (output, code) => {
        // Said on the other output, and without blocking either: both may be one stuck pipe (2>&1).
        processOutput(fd === 1 ? 2 : 1).lines.write(`dcr-gateway: ${output} cannot be written (${code}); its lines are dropped once 16 MiB wait, counted in dcr_log_lines_lost_total\n`);
      },
      recovered: () => {},
      lost: () => lost++,
    },
    () => stream.write(NOTHING),
  );
  const output: ProcessOutput = {
    lines,
    lost: () => lost,
    take: (line) => {
      // sonic-boom drops a line synchronously, inside the write, and the watch counts it there.
      const before = lost;
      lines.write(line);
      return lost === before;
    },
    // Ended rather than flushed: a flush during a write waits only for that write, and the lines after it (the
    // last ones, "stopped" among them) stayed below the batch size, unwritten.
    drained: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        stream.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        try {
          stream.end();
        } catch {
          clearTimeout(timer);
          resolve();
        }
      }),
  };
  opened.set(fd, output);
  return output;
}

/** Lines dropped on stdout and stderr together, whichever logger wrote them. */
export function linesLost(): number {
  let lost = 0;
  for (const output of new Set(opened.values())) lost += output.lost();
  return lost;
}

/** Waits for stdout and stderr to take what waits, each for at most `timeoutMs`: before a planned exit. */
export async function drainOutputs(timeoutMs: number): Promise<void> {
  await Promise.all([...new Set(opened.values())].map((output) => output.drained(timeoutMs)));
}
