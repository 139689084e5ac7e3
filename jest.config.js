// @swc/jest strips types without checking them; `npm run typecheck` is the type check.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  },
];

// Jest runs a project's global setup only when that project has tests to run, and runs a shared one once:
// Prism starts for integration and e2e tests, not for a unit-only run.
const needsAuthleteMock = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform: { '^.+\\.m?ts$': swc, '/node_modules/(inversify|@inversifyjs|cockatiel)/.+\\.js$': swc },
  // inversify and cockatiel are ESM-only and jest's own require(esm) needs --experimental-vm-modules, so they are compiled instead.
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|cockatiel)/)'],
  moduleFileExtensions: ['ts', 'mts', 'js', 'json'],
  // Dynamic imports in the sources name the compiled file (Node's ESM loader needs the extension); jest runs the .ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

/** @type {import('jest').Config} */
module.exports = {
  // Integration and e2e tests start processes and servers: room for a loaded 2-core machine; a hang still fails,
  // later. Jest reads testTimeout only here, not per project.
  testTimeout: 30_000,
  projects: [
    project('unit'),
    project('integration', { ...needsAuthleteMock, slowTestThreshold: 15 }),
    project('e2e', { ...needsAuthleteMock, slowTestThreshold: 20 }),
  ],
};
