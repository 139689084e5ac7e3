import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_SETTINGS } from '../../../src/config/gateway-config';
import { isSecret } from '../../../src/config/setting-rules';
import { ROOT } from '../../support/paths.mts';

describe("the README's configuration table", () => {
  const rows = new Set(
    readFileSync(resolve(ROOT, 'README.md'), 'utf8')
      .split('\n')
      .flatMap((line) => /^\| `([A-Z0-9_]+)`/.exec(line)?.[1] ?? []),
  );
  const variables = Object.entries(GATEWAY_SETTINGS).flatMap(([name, rule]) => (isSecret(rule) ? [name, `${name}_FILE`] : [name]));

  it.each(variables)('has a row for %s', (name) => {
    expect(rows.has(name)).toBe(true);
  });
});
