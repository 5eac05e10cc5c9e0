import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/platform/embedded-postgres.js';
import { createLogger } from '../../src/platform/logger.js';

/** A port the system has just handed out, so that runs beside each other do not pick the same one. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * Global setup of the integration project. When the Postgres found at start cannot be used
 * (see `test-services.ts`), starts one embedded Postgres (the `embedded-postgres` package, as
 * `realitycheck start` does) in a temporary directory on a free port, and hands its URL to every
 * test file; the returned teardown stops it and deletes the directory.
 *
 * If it does not start, the tests that need Postgres fail with the reason (the run goes on for
 * the others).
 */
export async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const problem = project.getProvidedContext().testDatabaseProblem;
  if (problem === null) return undefined;

  const dir = await mkdtemp(join(tmpdir(), 'realitycheck-test-pg-'));
  const log: string[] = [];
  try {
    const server = await startEmbeddedPostgres({
      dataDir: dir,
      port: await freePort(),
      logger: createLogger({ level: 'debug', write: (line) => log.push(line) }),
    });
    const url = new URL(server.url);
    url.pathname = '/postgres';
    project.provide('testDatabaseUrl', url.toString());
    project.provide('testDatabaseProblem', null);
    project.vitest.logger.log(`Postgres: ${problem}; this run uses an embedded Postgres on 127.0.0.1:${server.port}, removed at the end\n`);
    return async () => {
      try {
        await server.stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const cause = error instanceof Error ? [error.message, error.cause instanceof Error ? error.cause.message : ''].filter(Boolean).join(': ') : String(error);
    const reason =
      `${problem}, and the embedded Postgres did not start in ${tmpdir()}: ${cause} ` +
      '(set TMPDIR to another directory, or TEST_DATABASE_URL to a Postgres of yours)';
    project.provide('testDatabaseProblem', reason);
    project.vitest.logger.error(`Postgres: ${reason}\n${log.slice(-20).join('\n')}\n`);
    return undefined;
  }
}
