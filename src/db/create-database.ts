import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';

/** Options of {@link createDatabase}. */
export interface CreateDatabaseOptions {
  /** Maximum pooled connections. */
  readonly poolSize?: number;
  /** Called when an idle pooled connection fails (e.g. the server restarted); the pool replaces it. */
  readonly onPoolError?: (error: Error) => void;
}

/**
 * Opens a Kysely instance over a node-postgres pool.
 *
 * @example
 * const db = createDatabase('postgres://root@127.0.0.1:5432/realitycheck');
 * await db.selectFrom('workflows').selectAll().execute();
 * await db.destroy();
 */
export function createDatabase(connectionString: string, options: CreateDatabaseOptions = {}): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10 });
  // Without a listener an idle-client error would crash the process.
  pool.on('error', (error) => options.onPoolError?.(error));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Runs a trivial query: resolves when the database answers. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
