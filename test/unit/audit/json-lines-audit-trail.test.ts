import { execFileSync } from 'node:child_process';
import fs, { closeSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsTo, JsonLinesAuditTrail, openAuditTrail } from '../../../src/adapters/audit/json-lines-audit-trail';
import type { AuditFileWatch } from '../../../src/adapters/audit/json-lines-audit-trail';
import type { AuditEvent } from '../../../src/domain/audit-event';

const EVENT: AuditEvent = { event: 'registered', requestId: 'r-1', operation: 'register', clientIp: '203.0.113.9', status: 201, outcome: 'created', clientId: '42' };

/** What the trail said about its destination, in order; `next` resolves with the next thing it says. */
function watched(): AuditFileWatch & { readonly heard: string[]; lostCount: number; next(): Promise<string> } {
  const heard: string[] = [];
  let waiting: Array<(said: string) => void> = [];
  const say = (said: string): void => {
    heard.push(said);
    const due = waiting;
    waiting = [];
    for (const resolve of due) resolve(said);
  };
  const watch = {
    heard,
    lostCount: 0,
    failing: (destination: string, code: string) => say(`failing ${destination} ${code}`),
    recovered: (destination: string) => say(`recovered ${destination}`),
    reopenFailed: (destination: string, code: string) => say(`reopen failed ${destination} ${code}`),
    lost: () => {
      watch.lostCount++;
    },
    next: () => new Promise<string>((resolve) => waiting.push(resolve)),
  };
  return watch;
}

function lines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

const scratch: string[] = [];

/** A directory of its own for one test, removed after it. */
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-'));
  scratch.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A trail on a new file (by default in a directory of the test's own), with the watch that hears it. */
function trailOnFile(path = join(scratchDir(), 'audit.jsonl')) {
  const watch = watched();
  return { path, watch, opened: openAuditTrail({ kind: 'file', path }, watch) };
}

describe('AUDIT_LOG=<file>', () => {
  it('appends one JSON line per event to what the file held, and after SIGHUP writes to a new file at the same path', () => {
    const dir = scratchDir();
    const path = join(dir, 'audit.jsonl');
    const first = openAuditTrail({ kind: 'file', path }, watched());
    first.trail?.record(EVENT);
    first.close();
    const opened = openAuditTrail({ kind: 'file', path }, watched());
    try {
      opened.trail?.record({ ...EVENT, requestId: 'r-2' });
      expect(lines(path).map((line) => line['requestId'])).toEqual(['r-1', 'r-2']);

      // What logrotate does: move the file away, then tell the process.
      renameSync(path, `${path}.1`);
      process.emit('SIGHUP', 'SIGHUP');
      opened.trail?.record({ ...EVENT, requestId: 'r-3' });

      expect(lines(`${path}.1`).map((line) => line['requestId'])).toEqual(['r-1', 'r-2']);
      expect(lines(path)).toEqual([{ log: 'audit', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), ...EVENT, requestId: 'r-3' }]);
    } finally {
      opened.close();
    }
  });

  it('writes a relative path that reads as a number to that file, not to the file descriptor of that number', () => {
    const dir = scratchDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      // pino would take "12345" for descriptor 12345 (and "2" for stderr, " " for stdin): the events went nowhere.
      const opened = openAuditTrail({ kind: 'file', path: '12345' }, watched());
      opened.trail?.record(EVENT);
      opened.close();
    } finally {
      process.chdir(cwd);
    }
    expect(lines(join(dir, '12345')).map((line) => line['requestId'])).toEqual(['r-1']);
  });

  it('is nothing at all when off', () => {
    expect(openAuditTrail({ kind: 'off' }, watched()).trail).toBeUndefined();
  });

  it('refuses to start on a path it cannot open (a directory that does not exist)', () => {
    expect(() => openAuditTrail({ kind: 'file', path: join(scratchDir(), 'missing-dir', 'audit.jsonl') }, watched())).toThrow();
  });

  it('refuses a named pipe, whose reader stalling would hold every request, and says what to give instead', () => {
    const fifo = join(scratchDir(), 'audit.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => openAuditTrail({ kind: 'file', path: fifo }, watched())).toThrow(
      `AUDIT_LOG: cannot open ${fifo} for appending (it is a pipe or a socket, whose reader stalling would hold every request); give a file in an existing, writable directory, or stdout, stderr or off`,
    );
  });

  it('on stdout or stderr, counts an event the output drops as an audit event lost, not only as a log line', () => {
    // Before, only dcr_log_lines_lost_total heard of it: an alert on audit loss missed events dropped on stdout.
    const watch = watched();
    const written: string[] = [];
    let full = false;
    const trail = new JsonLinesAuditTrail(eventsTo({ take: (line) => (full ? false : written.push(line) > 0) }, watch.lost));
    trail.record({ ...EVENT, requestId: 'kept' });
    full = true;
    trail.record({ ...EVENT, requestId: 'dropped-1' });
    trail.record({ ...EVENT, requestId: 'dropped-2' });

    expect(written.map((line) => (JSON.parse(line) as { requestId: string }).requestId)).toEqual(['kept']);
    expect(watch.lostCount).toBe(2);
  });

  it('on a full disk says so once, keeps at most 1 MiB of events waiting, and drops and counts the rest', () => {
    const watch = watched();
    const opened = openAuditTrail({ kind: 'file', path: '/dev/full' }, watch);
    try {
      // About 200 bytes each: 20,000 events are some 4 MiB, which all stayed in memory before.
      for (let i = 0; i < 20_000; i++) opened.trail?.record({ ...EVENT, requestId: `r-${i}` });
    } finally {
      opened.close();
    }
    expect(watch.heard).toEqual(['failing /dev/full ENOSPC']);
    expect(watch.lostCount).toBeGreaterThan(14_000);
    expect(watch.lostCount).toBeLessThan(20_000);
  });

  it('writes what waited once the file takes writes again (reopened on SIGHUP), and says it recovered', () => {
    const { path, watch, opened } = trailOnFile();
    try {
      opened.trail?.record({ ...EVENT, requestId: 'r-1' });
      // The descriptor goes bad under the stream, as on a file system that went away.
      const fd = readdirSync('/proc/self/fd').find((entry) => {
        try {
          return readlinkSync(`/proc/self/fd/${entry}`) === path;
        } catch {
          return false;
        }
      });
      expect(fd).toBeDefined();
      closeSync(Number(fd));
      opened.trail?.record({ ...EVENT, requestId: 'r-2' });
      expect(watch.heard).toEqual([`failing ${path} EBADF`]);

      process.emit('SIGHUP', 'SIGHUP');
      opened.trail?.record({ ...EVENT, requestId: 'r-3' });

      expect(watch.heard).toEqual([`failing ${path} EBADF`, `recovered ${path}`]);
      expect(lines(path).map((line) => line['requestId'])).toEqual(['r-1', 'r-2', 'r-3']);
      expect(watch.lostCount).toBe(0);
    } finally {
      opened.close();
    }
  });

  it('survives a SIGHUP whose path cannot be opened (its directory removed), says so, and reopens on the next one once it can', async () => {
    const dir = join(scratchDir(), 'logs');
    mkdirSync(dir);
    const { path, watch, opened } = trailOnFile(join(dir, 'audit.jsonl'));
    try {
      opened.trail?.record({ ...EVENT, requestId: 'r-1' });
      rmSync(dir, { recursive: true });
      // Before, sonic-boom's throw from the signal handler ended the process.
      process.emit('SIGHUP', 'SIGHUP');
      expect(watch.heard).toEqual([`reopen failed ${path} ENOENT`]);
      // Still written, to the file opened before: not a write failure, so no "written again" follows.
      opened.trail?.record({ ...EVENT, requestId: 'r-1b' });

      mkdirSync(dir);
      process.emit('SIGHUP', 'SIGHUP');
      opened.trail?.record({ ...EVENT, requestId: 'r-2' });
      expect(lines(path).map((line) => line['requestId'])).toEqual(['r-2']);
      expect(watch.heard).toEqual([`reopen failed ${path} ENOENT`]);
    } finally {
      opened.close();
    }
  });

  it('refuses a named pipe put in place of the file at SIGHUP, without waiting for a reader, and goes on with the file it has', () => {
    const { path, watch, opened } = trailOnFile();
    try {
      opened.trail?.record({ ...EVENT, requestId: 'r-1' });
      renameSync(path, `${path}.1`);
      execFileSync('mkfifo', [path]);
      // Before, the reopen's blocking open waited for a reader: this test, and the gateway, hung there.
      process.emit('SIGHUP', 'SIGHUP');
      expect(watch.heard).toEqual([`reopen failed ${path} ENXIO`]);
      opened.trail?.record({ ...EVENT, requestId: 'r-2' });
      expect(lines(`${path}.1`).map((line) => line['requestId'])).toEqual(['r-1', 'r-2']);
    } finally {
      opened.close();
    }
  });

  it('once writes succeed again after an outage long enough to drop events, writes what waited without waiting for a new event', async () => {
    const { path, watch, opened } = trailOnFile();
    const realWriteSync = fs.writeSync;
    let diskFull = true;
    // A disk that is full, then has room again: every write to the trail's file fails until then.
    const writeSync = jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, ...rest: unknown[]) => {
      if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return (realWriteSync as (fd: number, ...args: unknown[]) => number)(fd, ...rest);
    }) as typeof fs.writeSync);
    try {
      for (let i = 0; i < 20_000; i++) opened.trail?.record({ ...EVENT, requestId: `r-${i}` });
      expect(watch.heard).toEqual([`failing ${path} ENOSPC`]);
      expect(watch.lostCount).toBeGreaterThan(14_000);

      const recovered = watch.next();
      diskFull = false;
      // No event is recorded from here on: before, what waited stayed in memory until one came.
      expect(await recovered).toBe(`recovered ${path}`);
      const written = lines(path);
      expect(written.length + watch.lostCount).toBe(20_000);
      expect(written[0]?.['requestId']).toBe('r-0');
    } finally {
      writeSync.mockRestore();
      opened.close();
    }
  });
});
