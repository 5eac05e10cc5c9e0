import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Reporter, TestProject, TestSpecification, Vite } from 'vitest/node';

/** The Postgres server the integration tests use unless `TEST_DATABASE_URL` names another. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** The Redis the queue suites use unless `TEST_REDIS_URL` names another. */
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Test files that need Redis: the system one at `TEST_REDIS_URL`, and `redis-server` to start
 * private servers (a Redis that evicts keys, a Redis restarted mid-flow). Without both they are
 * left out of the run, and the run says so.
 */
export const REDIS_ONLY_TEST_FILES: readonly string[] = ['test/workers/redis-backend.test.ts', 'test/workers/redis-restart.test.ts'];

/** The headless browser the GraphiQL test drives: Debian's Chromium (`.ci/run` installs it). */
export const TEST_CHROMIUM = '/usr/bin/chromium';
/** Test files that need {@link TEST_CHROMIUM}; without it they are left out of the run, which says so. */
export const BROWSER_TEST_FILES: readonly string[] = ['test/api/graphiql-browser.test.ts'];

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server-level URL on which each test file creates and drops a database of its own. */
    testDatabaseUrl: string;
    /** Why `testDatabaseUrl` cannot be used; null when it can. */
    testDatabaseProblem: string | null;
    /** The Redis of the run; null without one (the queue suites then run on PostgreSQL only). */
    testRedisUrl: string | null;
  }
}

/** Raised at start-up when `TEST_REQUIRE_SERVICES` is set and a service is missing. */
export class TestServicesError extends Error {
  override readonly name = 'TestServicesError';
}

/** What a run found at start. Each `problem` is null when that service can be used. */
export interface TestServices {
  readonly postgres: { readonly url: string; readonly problem: string | null };
  readonly redis: { readonly url: string; readonly problem: string | null };
  /** The `redis-server` binary, which the Redis-only files start servers of their own with. */
  readonly redisServer: { readonly problem: string | null };
  /** The headless Chromium of the browser tests. */
  readonly browser: { readonly problem: string | null };
}

/** Scheme, host and port of a URL: where a server is, without credentials. */
export function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(an unparseable URL)';
  }
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') return error.errors.map(describeError).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** Connects to Postgres and runs `SELECT 1`; returns why that failed, or null. */
async function probePostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return describeError(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connects to Redis once (no retries) and sends PING; returns why that failed, or null. */
async function probeRedis(url: string): Promise<string | null> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // ioredis rejects with "Connection is closed."; the socket's own error comes as an event.
  let socketError: unknown;
  redis.on('error', (error: unknown) => (socketError ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return describeError(socketError ?? error);
  } finally {
    redis.disconnect();
  }
}

/** Probes the Postgres and Redis named by the environment (or the defaults) and looks for `redis-server`. */
export async function probeTestServices(env: NodeJS.ProcessEnv): Promise<TestServices> {
  const postgresUrl = env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const redisUrl = env.TEST_REDIS_URL || DEFAULT_TEST_REDIS_URL;
  const [postgres, redis] = await Promise.all([probePostgres(postgresUrl), probeRedis(redisUrl)]);
  const redisServerFound = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error === undefined;
  return {
    postgres: { url: postgresUrl, problem: postgres === null ? null : `no Postgres at ${serverOf(postgresUrl)} (${postgres})` },
    redis: { url: redisUrl, problem: redis === null ? null : `no Redis at ${serverOf(redisUrl)} (${redis})` },
    redisServer: { problem: redisServerFound ? null : 'no redis-server on PATH (the Redis-only files start Redis servers of their own)' },
    browser: { problem: existsSync(TEST_CHROMIUM) ? null : `no Chromium at ${TEST_CHROMIUM} (apt-get install -y chromium)` },
  };
}

/** `TEST_REQUIRE_SERVICES`: `1` when every service must be there (CI), unset, empty or `0` otherwise. */
export function servicesRequired(env: NodeJS.ProcessEnv): boolean {
  const value = env.TEST_REQUIRE_SERVICES ?? '';
  if (value === '' || value === '0') return false;
  if (value === '1') return true;
  throw new TestServicesError(`TEST_REQUIRE_SERVICES must be 1 or 0, not "${value}"`);
}

/**
 * Prints, when the run includes the project's files, which of them are left out and why: once
 * as the run starts and again under the summary.
 */
class NotRunReporter implements Reporter {
  #shown = false;

  constructor(
    private readonly project: TestProject,
    private readonly line: string,
  ) {}

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.#shown = specifications.some((specification) => specification.project === this.project);
    if (this.#shown) this.project.vitest.logger.log(`${this.line}\n`);
  }

  onTestRunEnd(): void {
    if (this.#shown) this.project.vitest.logger.log(`${this.line}\n`);
  }
}

/**
 * Vitest plugin of the integration project. Before any file is chosen it probes the services:
 *
 * * Postgres at `TEST_DATABASE_URL`: used when it answers; otherwise the project's global setup
 *   (`test/support/embedded-test-postgres.ts`) starts an embedded one for the run.
 * * Redis at `TEST_REDIS_URL`: without it the queue suites run on the PostgreSQL backend only,
 *   and {@link REDIS_ONLY_TEST_FILES} (which also need `redis-server`) are left out of the run,
 *   with one line that names them.
 *
 * * Chromium at {@link TEST_CHROMIUM}: without it {@link BROWSER_TEST_FILES} are left out, named.
 *
 * With `TEST_REQUIRE_SERVICES=1` a missing service stops the run at once instead.
 */
export function testServices(): Vite.Plugin {
  return {
    name: 'realitycheck:test-services',
    async configureVitest({ project, vitest }) {
      const required = servicesRequired(process.env);
      const missing = [...REDIS_ONLY_TEST_FILES, ...BROWSER_TEST_FILES].filter((file) => !existsSync(join(project.config.root, file)));
      if (missing.length > 0) throw new TestServicesError(`the lists of Redis-only and browser test files name files that do not exist: ${missing.join(', ')}`);

      const services = await probeTestServices(process.env);
      if (required) {
        const problems = [services.postgres.problem, services.redis.problem, services.redisServer.problem, services.browser.problem];
        const found = problems.filter((problem): problem is string => problem !== null);
        if (found.length > 0) {
          throw new TestServicesError(`TEST_REQUIRE_SERVICES=1, but ${found.join('; ')}. Provide them, or unset TEST_REQUIRE_SERVICES to let the run start or leave out what is missing.`);
        }
      }

      project.provide('testDatabaseUrl', services.postgres.url);
      project.provide('testDatabaseProblem', services.postgres.problem);
      project.provide('testRedisUrl', services.redis.problem === null ? services.redis.url : null);
      const redisOnly = services.redis.problem ?? services.redisServer.problem;
      if (redisOnly !== null) {
        project.config.exclude.push(...REDIS_ONLY_TEST_FILES);
        const queueSuites = services.redis.problem === null ? '' : ', and the Redis half of the suites that run on both queue backends';
        vitest.config.reporters.push(new NotRunReporter(project, `not run (${redisOnly}): ${REDIS_ONLY_TEST_FILES.join(', ')}${queueSuites}`));
      }
      if (services.browser.problem !== null) {
        project.config.exclude.push(...BROWSER_TEST_FILES);
        vitest.config.reporters.push(new NotRunReporter(project, `not run (${services.browser.problem}): ${BROWSER_TEST_FILES.join(', ')}`));
      }
    },
  };
}
