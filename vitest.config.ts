import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One graphql-js instance for the whole suite: vitest would otherwise load both its ESM and CJS
  // builds, and `instanceof GraphQLError` checks across the two fail.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests that could not run because a beforeAll failed count as failed, not skipped.
    runner: './test/support/setup-failure-runner.ts',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites share one Postgres server and one Redis; each creates its own
    // database and queue prefix, but two cores do not gain from more parallel forks.
    maxWorkers: 2,
  },
});
