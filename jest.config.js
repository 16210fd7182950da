// Unit tests beside the code (src, *.spec.ts); HTTP + database tests in test/ against the built app.
// On a PostgreSQL server (DATABASE_URL) 2 workers run the whole suite, each on databases of its own. The
// run is bound by the 2 cores of a CI machine: a third worker (P2V_WORKERS=3) was measured no faster in CI
// (605 s against 568 and 601 s), the lint and type-check running beside the tests. The time limits leave
// room for a busy machine: 30 s a test, 60 s for the start-up tests, 90 s for a browser journey.
// On the embedded database (PGlite, one transaction at a time) one worker runs; `npm run test:smoke`
// runs there only what proves the embedded path: the app's start and a booking journey (whose slot grid
// runs several queries at once: such pages failed at random there before src/database/embedded-postgres.ts
// kept each connection's request whole), the schema (migrations up and down) and the transaction guard.
// CI then starts the demo on a new data folder
// (the README's first command), which is what test/startup-embedded.e2e-spec.ts does in a full run.
const tsJest = ['ts-jest', { tsconfig: 'test/tsconfig.json' }];
const onServer = Boolean(process.env.DATABASE_URL);
const SMOKE = ['visits-family', 'schema', 'transaction-guard'];

module.exports = {
  testTimeout: 30000,
  maxWorkers: process.env.P2V_WORKERS ? Number(process.env.P2V_WORKERS) : onServer ? 2 : 1,
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/scripts'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: process.env.P2V_SMOKE ? SMOKE.map((name) => `<rootDir>/test/${name}.e2e-spec.ts`) : ['**/*.e2e-spec.ts'],
      // The demo's own data folder is the embedded path: proved where the suite runs on PGlite.
      testPathIgnorePatterns: onServer ? ['/node_modules/', '/startup-embedded\\.e2e-spec\\.ts$'] : ['/node_modules/'],
      transform: { '^.+\\.ts$': tsJest },
      setupFilesAfterEnv: ['<rootDir>/test/helpers/jest-setup.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
  ],
};
