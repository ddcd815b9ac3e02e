/** Unit and integration tests run under one jest; browser tests live in tests/e2e. */
const esmOnly = ['jose', 'nanoid', 'adaptivecards-templating', 'docx'].join('|');
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: { '^.+\\.(t|j|mj)sx?$': ['@swc/jest', { jsc: { target: 'es2022', transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly})/)`],
  setupFilesAfterEnv: ['<rootDir>/tests/support/dom-timeouts.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 60000,
  // CI has two cores; much of each suite waits on PostgreSQL, Chromium or timers, so two workers
  // shorten the run. `--maxWorkers=1` on the command line still runs one suite at a time.
  maxWorkers: 2,
};
