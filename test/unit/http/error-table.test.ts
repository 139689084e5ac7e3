import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPLIES, type ReplyRow } from '../../../src/adapters/http/replies';
import { ROOT } from '../../support/paths.mts';

function pair(status: number, error: unknown): string {
  return `${status} ${String(error)}`;
}

/** Every (status, error) the gateway can produce on its own: each row of the reply table that is an error. */
function producedByTheGateway(): Set<string> {
  const produced = new Set<string>();
  for (const row of Object.values<ReplyRow>(REPLIES)) {
    if (row.error !== undefined) produced.add(pair(row.status, row.error));
  }
  return produced;
}

/** The (status, error) pairs of the README's table of local errors. */
function documentedInTheReadme(): Set<string> {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- error-table');
  const table = readme.slice(start).split('\n\n')[0] ?? '';
  const rows = table.split('\n').filter((line) => /^\| \d{3} \|/.test(line));
  return new Set(
    rows.map((row) => {
      const [status, error] = row.split('|').slice(1, 3).map((cell) => cell.trim().replaceAll('`', ''));
      return pair(Number(status), error);
    }),
  );
}

describe("the README's table of local errors", () => {
  it('lists exactly the status and error pairs of the reply table', () => {
    const documented = documentedInTheReadme();
    expect(documented.size).toBeGreaterThan(10);
    expect([...documented].sort()).toEqual([...producedByTheGateway()].sort());
  });

  it('builds each error reply with the status and error code its row declares', () => {
    for (const [name, entry] of Object.entries<ReplyRow>(REPLIES)) {
      const reply = typeof entry === 'function' ? entry() : entry;
      if (reply.error === undefined) continue;
      expect([name, reply.status, JSON.parse(reply.json ?? '{}').error]).toEqual([name, entry.status, entry.error]);
    }
  });
});
