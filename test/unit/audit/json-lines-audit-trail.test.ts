import { closeSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditTrail, type AuditFailureWatch } from '../../../src/adapters/audit/json-lines-audit-trail';
import type { AuditEvent } from '../../../src/domain/audit-event';

const EVENT: AuditEvent = { event: 'registered', requestId: 'r-1', operation: 'register', clientIp: '203.0.113.9', status: 201, outcome: 'created', clientId: '42' };

/** What the trail said about its destination, in order. */
function watched(): AuditFailureWatch & { readonly heard: string[]; lostCount: number } {
  const heard: string[] = [];
  const watch = {
    heard,
    lostCount: 0,
    failing: (destination: string, code: string) => heard.push(`failing ${destination} ${code}`),
    recovered: (destination: string) => heard.push(`recovered ${destination}`),
    lost: () => {
      watch.lostCount++;
    },
  };
  return watch;
}

function lines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('AUDIT_LOG=<file>', () => {
  it('appends one JSON line per event to what the file held, and after SIGHUP writes to a new file at the same path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
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
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
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
    expect(() => openAuditTrail({ kind: 'file', path: join(mkdtempSync(join(tmpdir(), 'audit-')), 'missing-dir', 'audit.jsonl') }, watched())).toThrow();
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
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const path = join(dir, 'audit.jsonl');
    const watch = watched();
    const opened = openAuditTrail({ kind: 'file', path }, watch);
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
});
