// `npm run stress`: the slow checks (timeouts, descriptor exhaustion, slow uploaders, a stalled Authlete under load, shutdown
// under load), run one file at a time so their figures do not disturb each other. Not part of `npm test`.
const { projects } = require('./jest.config.js');

const unit = projects.find((project) => project.displayName === 'unit');

/** @type {import('jest').Config} */
module.exports = {
  projects: [{ ...unit, displayName: 'stress', testMatch: ['<rootDir>/test/stress/**/*.stress.ts'], slowTestThreshold: 120 }],
  maxWorkers: 1,
};
