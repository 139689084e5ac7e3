import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROBES } from '../../src/adapters/http/probe-paths';
import { loadConfig } from '../../src/config/load-config';
import { ROOT } from '../support/paths.mts';

function defaultAdminPort(): number {
  const loaded = loadConfig({});
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.config.admin.port;
}

describe('how the service is started', () => {
  it('is the same command in the image as in `npm start`, which the benchmark measures', () => {
    const manifest: unknown = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
    const start = typeof manifest === 'object' && manifest !== null && 'scripts' in manifest ? JSON.stringify(manifest.scripts) : '';
    const command = /"start":"([^"]+)"/.exec(start)?.[1] ?? '';
    const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]';
    const parsed: unknown = JSON.parse(cmd);
    expect(Array.isArray(parsed) ? parsed.join(' ') : '').toBe(command);
    expect(command).toMatch(/^node .*dist\/src\/main\.js$/);
  });
});

describe('the container health checks', () => {
  it('ask the admin listener, on its default port unless ADMIN_PORT is set, for a path it serves', () => {
    const port = defaultAdminPort();
    const healthcheck = /^HEALTHCHECK .*$/m.exec(readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8'))?.[0] ?? '';
    expect(healthcheck).toContain(`(process.env.ADMIN_PORT || ${port}) + '${PROBES.live}'`);
    const compose = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`http://127.0.0.1:${port}${PROBES.ready}`);
    expect(compose).toContain(`"127.0.0.1:${port}:${port}"`);
  });
});
