import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../support/paths.mts';

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
