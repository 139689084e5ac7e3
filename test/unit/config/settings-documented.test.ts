import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_SETTINGS } from '../../../src/config/gateway-config';
import { isSecret } from '../../../src/config/setting-rules';
import { ROOT } from '../../support/paths.mts';

describe("the README's configuration table", () => {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const named = table
    .split('\n')
    // A row may name several variables in its first cell (`HTTPS_PROXY`, `https_proxy`).
    .flatMap((line) => (line.startsWith('| `') ? [...(line.split('|')[1] ?? '').matchAll(/`([A-Za-z0-9_]+)`/g)].map((match) => match[1] ?? '') : []));
  const rows = new Set(named);
  const variables = Object.entries(GATEWAY_SETTINGS).flatMap(([name, rule]) => (isSecret(rule) ? [name, `${name}_FILE`] : [name]));

  it.each(variables)('has a row for %s', (name) => {
    expect(rows.has(name)).toBe(true);
  });

  it('names no variable the service does not read', () => {
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((name) => !variables.includes(name))).toEqual([]);
  });
});
