import { workerData } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { createDatabase } from '../../src/db/create-database.js';
import type { Database } from '../../src/db/database.js';

/** What the worker runtime hands every processor thread (`workerData`, see `JobThreads`). */
export interface ProcessorThreadData {
  readonly databaseUrl: string;
}

let db: Kysely<Database> | undefined;

/**
 * The database of this processor thread, opened on first use from the URL the worker runtime
 * passed in `workerData` (or `DATABASE_URL`). One connection: a thread runs one job at a time.
 * It closes with the thread.
 */
export function threadDatabase(): Kysely<Database> {
  if (!db) {
    const url = (workerData as Partial<ProcessorThreadData> | null)?.databaseUrl ?? process.env.DATABASE_URL;
    if (!url) throw new Error('processor thread started without a database URL (workerData.databaseUrl or DATABASE_URL)');
    // An idle connection that drops (a database restart) is replaced on the next query.
    db = createDatabase(url, { poolSize: 1, onPoolError: () => undefined });
  }
  return db;
}
