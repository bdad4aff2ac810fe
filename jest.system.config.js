/**
 * System suites that start their own servers (PostgreSQL, Redis, sshd, several service instances) on free
 * loopback ports: `npm run test:faults`, `npm run test:scale`, `npm run test:ssh`; and `npm run test:system`, the
 * tests that spawn the built service or drive it as a black box (start-up, `npm run contract`). They never use
 * DATABASE_URL/REDIS_URL and skip with a printed notice where a binary is missing. Not part of `npm test`.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: '.*\\.(fault|scale|ssh|system)-spec\\.ts$',
  roots: ['<rootDir>/test'],
  setupFilesAfterEnv: [],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 180000,
  maxWorkers: 1,
};
