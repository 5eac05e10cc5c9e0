import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites share one Postgres server and one Redis; each creates its own
    // database and queue prefix, but two cores do not gain from more parallel forks.
    maxWorkers: 2,
  },
});
