/** Jest runs TypeScript through SWC (decorators and metadata on) and transpiles the ESM-only Nest packages. */
const esm = [
  '@nestjs',
  'file-type',
  'load-esm',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  '@electric-sql',
  '@apidevtools',
  '@jsdevtools',
  // Swagger UI's static files on fastify
  '@fastify/static',
  'content-disposition',
];
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts', 'mjs', 'cjs'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`node_modules/(?!(${esm.join('|')})/)`],
  // jest's node environment, plus one Prism validator per worker (test/setup/environment.js)
  testEnvironment: '<rootDir>/test/setup/environment.js',
  setupFilesAfterEnv: ['<rootDir>/test/setup/contract-check.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  workerIdleMemoryLimit: '1GB',
};
