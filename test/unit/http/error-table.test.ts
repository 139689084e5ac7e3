import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpReply } from '../../../src/adapters/http/http-reply';
import { LocalErrors } from '../../../src/adapters/http/local-errors';
import { DRAINING } from '../../../src/adapters/http/operations-routes';
import { BAD_GATEWAY, GATEWAY_TIMEOUT } from '../../../src/adapters/http/outcome-reply';
import { MALFORMED_REPLY, UNPARSABLE_REPLIES } from '../../../src/adapters/http/unparsable-request';
import { ROOT } from '../../support/paths.mts';

function pair(status: number, error: unknown): string {
  return `${status} ${String(error)}`;
}

function fromReply(reply: HttpReply): string {
  const body: unknown = JSON.parse(reply.json ?? '{}');
  return pair(reply.status, typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined);
}

/** Every (status, error) the gateway can produce on its own, collected from the code that produces them. */
function producedByTheGateway(): Set<string> {
  const produced = new Set<string>();
  const { tokenMalformed, bodyTooLarge, methodNotAllowed, ...fixed } = LocalErrors;
  for (const reply of [...Object.values(fixed), tokenMalformed('reason'), bodyTooLarge(1024), methodNotAllowed('GET')]) {
    produced.add(fromReply(reply));
  }
  for (const reply of [...Object.values(UNPARSABLE_REPLIES), MALFORMED_REPLY]) produced.add(pair(reply.status, 'invalid_request'));
  produced.add(fromReply(BAD_GATEWAY));
  produced.add(fromReply(GATEWAY_TIMEOUT));
  produced.add(fromReply({ status: 503, json: DRAINING }));
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
  it('lists exactly the status and error pairs the gateway produces', () => {
    const documented = documentedInTheReadme();
    expect(documented.size).toBeGreaterThan(10);
    expect([...documented].sort()).toEqual([...producedByTheGateway()].sort());
  });
});
