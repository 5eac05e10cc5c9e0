import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import type { Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import type { ProfilingScheduler } from '../../src/ingest/profiling-scheduler.js';
import { ensureAdminKey } from '../../src/server/admin-key.js';
import { startApiServer, type ApiServer, type ReadinessCheck } from '../../src/server/api-server.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { createSilentLogger, type Logger } from '../../src/platform/logger.js';
import type { Metrics } from '../../src/platform/metrics.js';

/**
 * Server-level connection used to create and drop per-file test databases: the Postgres found or
 * started for the run (test/support/test-services.ts).
 *
 * @throws Error saying why the run has no Postgres.
 */
export function adminDatabaseUrl(): string {
  const problem = inject('testDatabaseProblem');
  if (problem !== null) throw new Error(`this run has no Postgres: ${problem}`);
  return inject('testDatabaseUrl');
}

/** A database created for one test file. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates `rc_test_<random>` on the test server; `drop()` removes it (closing leftover sessions). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rc_test_${randomBytes(6).toString('hex')}`;
  const adminUrl = adminDatabaseUrl();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** One GraphQL response. */
export interface GqlResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
}

/** A running API on a fresh, migrated database. */
export interface TestApi {
  readonly url: string;
  readonly db: Kysely<Database>;
  readonly config: Config;
  readonly adminKey: string;
  /** The key upload URLs are signed with. */
  readonly uploadSecret: string;
  readonly server: ApiServer;
  /** POSTs a GraphQL request as JSON, with `key` as bearer when given. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

/** Options of {@link startTestApi}. */
export interface TestApiOptions {
  env?: Record<string, string>;
  scheduler?: ProfilingScheduler;
  readinessChecks?: Record<string, ReadinessCheck>;
  /** Receives the server's log lines (silent by default, or stderr with TEST_LOG set). */
  logger?: Logger;
  /** Metrics the server serves at /metrics (its own when not given). */
  metrics?: Metrics;
  /** Seconds an idle connection is kept (the server's default when not given). */
  idleTimeoutSeconds?: number;
}

/** Starts the real HTTP server on port 0 over a new database with migrations applied and an admin key. */
export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const db = createDatabase(database.url, { poolSize: 5 });
  await migrateToLatest(db);
  const adminKey = `rc_testadmin_${randomBytes(24).toString('hex')}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REALITYCHECK_ADMIN_KEY: adminKey,
    REALITYCHECK_DATA_DIR: `/tmp/${database.name}`,
    ...options.env,
  });
  await ensureAdminKey(db, config);
  const uploadSecret = randomBytes(32).toString('hex');
  const server = await startApiServer({
    config,
    db,
    uploadSecret,
    scheduler: options.scheduler,
    logger: options.logger ?? (process.env.TEST_LOG ? undefined : createSilentLogger()),
    readinessChecks: options.readinessChecks,
    metrics: options.metrics,
    idleTimeoutSeconds: options.idleTimeoutSeconds,
  });
  const url = server.url;
  return {
    url,
    db,
    config,
    adminKey,
    uploadSecret,
    server,
    gql: async (query, variables, key = adminKey) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as GqlResponse;
      return { status: response.status, data: body.data, errors: body.errors };
    },
    close: async () => {
      await server.close();
      await db.destroy();
      await database.drop();
    },
  };
}

/** The `extensions.code` of each error of a response. */
export function errorCodes(response: GqlResponse): string[] {
  return (response.errors ?? []).map((e) => String(e.extensions?.code));
}
