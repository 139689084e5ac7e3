import { spawnSync } from 'node:child_process';
import { BUILT_MAIN } from '../support/paths.mts';

describe('the built gateway refusing a bad configuration', () => {
  it('exits 1 with one line per problem and starts nothing', () => {
    const run = spawnSync(process.execPath, [BUILT_MAIN], {
      env: { PATH: process.env['PATH'] ?? '', AUTHLETE_BASE_URL: 'not a url', AUTHLETE_TIMEOUT_MS: '-5', AUTHLETE_SERVICE_ACCESS_TOKEN: 'cfg-secret' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n').sort();
    expect(lines).toEqual([
      expect.stringMatching(/^dcr-gateway: configuration: AUTHLETE_BASE_URL /),
      expect.stringMatching(/^dcr-gateway: configuration: AUTHLETE_SERVICE_ID /),
      expect.stringMatching(/^dcr-gateway: configuration: AUTHLETE_TIMEOUT_MS /),
    ]);
    expect(run.stderr).not.toContain('cfg-secret');
    expect(run.stdout).toBe('');
  });
});
