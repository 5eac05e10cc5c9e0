import { defineConfig } from 'vitest/config';
import { testServices } from './test/support/test-services.js';

export default defineConfig({
  // One graphql-js instance for the whole suite: vitest would otherwise load both its ESM and CJS
  // builds, and `instanceof GraphQLError` checks across the two fail.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    // Tests that could not run because a beforeAll failed count as failed, not skipped.
    runner: './test/support/setup-failure-runner.ts',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites share one Postgres server and one Redis; each creates its own
    // database and queue prefix, but two cores do not gain from more parallel forks.
    maxWorkers: 2,
    projects: [
      // Unit tests beside the code: no services (`npm run test:unit`).
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'workers/**/*.test.ts'] } },
      // Integration tests: the Postgres and Redis found at start, or an embedded Postgres.
      {
        extends: true,
        plugins: [testServices()],
        test: { name: 'integration', include: ['test/**/*.test.ts'], globalSetup: ['./test/support/embedded-test-postgres.ts'] },
      },
    ],
  },
});
