import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { minVersion } from 'semver';
import { nodeVersionProblem } from '../../../src/node-version';
import { readServicePackage } from '../../../src/service-package';
import { ROOT } from '../../support/paths.mts';

describe('the Node.js version the gateway needs', () => {
  const { engines } = readServicePackage();

  it('is Node 24 everywhere it is written: package.json engines, .nvmrc, and what npm enforces', () => {
    expect(minVersion(engines.node)?.major).toBe(24);
    expect(readFileSync(resolve(ROOT, '.nvmrc'), 'utf8').trim()).toBe('24');
    // Without engine-strict, npm only warns about engines and installs on Node 20 anyway.
    expect(readFileSync(resolve(ROOT, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
    expect(readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^COPY package\.json package-lock\.json \.npmrc \.\/$/m);
  });

  it.each(['24.18.0', '24.22.3', process.versions.node])('lets Node.js %s run it', (version) => {
    expect(nodeVersionProblem(version, engines.node)).toBeUndefined();
  });

  it.each(['20.20.2', '22.19.0', '24.17.9', '25.0.0'])('stops Node.js %s with one line naming both versions', (version) => {
    const problem = nodeVersionProblem(version, engines.node) ?? '';
    expect(problem).toContain(`needs Node.js ${engines.node}`);
    expect(problem).toContain(`this is Node.js ${version}`);
    expect(problem).not.toContain('\n');
  });
});
