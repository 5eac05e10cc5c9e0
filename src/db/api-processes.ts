import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * Leases of the running API processes. Each process registers a row when it starts and renews its
 * `heartbeat_at` every few seconds; the upload it receives names it (`samples.receiver_id`).
 * Every time is the database's clock (`now()`), never a host's, so hosts with skewed clocks agree
 * on whether a lease has lapsed.
 */

/** Registers an API process; returns the id of its lease. */
export async function registerApiProcess(db: Kysely<Database>, process: { host: string; pid: number }): Promise<string> {
  const row = await db
    .insertInto('api_processes')
    .values({ host: process.host, pid: process.pid, started_at: sql<Date>`now()`, heartbeat_at: sql<Date>`now()` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Renews a lease. A lease that was found lapsed and removed meanwhile (the process was paused or
 * cut from the database for longer than the lease) is registered again under the same id, so
 * that later uploads are covered; the uploads it had were failed meanwhile.
 */
export async function renewApiProcess(db: Kysely<Database>, id: string, process: { host: string; pid: number }): Promise<void> {
  await db
    .insertInto('api_processes')
    .values({ id, host: process.host, pid: process.pid, heartbeat_at: sql<Date>`now()` })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: sql<Date>`now()` }))
    .execute();
}

/** Ends a lease at once (a process shutting down): the uploads it still holds count as orphaned. */
export async function releaseApiProcess(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('api_processes').set({ heartbeat_at: sql<Date>`'-infinity'::timestamptz` }).where('id', '=', id).execute();
}

/** An upload whose receiver is gone. */
export interface OrphanedUpload {
  readonly sampleId: string;
  /** `host:pid` of the API process that was receiving it, when it is known. */
  readonly receiver: string | null;
  /** Whether the receiver's lease lapsed (else: no receiver recorded, and no block for `idleSeconds`). */
  readonly leaseLapsed: boolean;
}

/**
 * Uploads still RECEIVING whose receiver is gone:
 * - the API process named as receiver has not renewed its lease for `leaseSeconds`, or
 * - no receiver is recorded (an upload claimed by a version that did not record it) and no block
 *   arrived for `idleSeconds`.
 */
export async function findOrphanedUploads(
  db: Kysely<Database>,
  limits: { leaseSeconds: number; idleSeconds: number },
): Promise<OrphanedUpload[]> {
  const rows = await db
    .selectFrom('samples as s')
    .leftJoin('api_processes as p', 'p.id', 's.receiver_id')
    .select(['s.id', 'p.host', 'p.pid', 's.receiver_id'])
    .where('s.status', '=', 'RECEIVING')
    .where((eb) =>
      eb.or([
        eb.and([eb('s.receiver_id', 'is not', null), eb('p.heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${limits.leaseSeconds})`)]),
        eb.and([eb('s.receiver_id', 'is', null), eb('s.updated_at', '<', sql<Date>`now() - make_interval(secs => ${limits.idleSeconds})`)]),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    sampleId: r.id,
    receiver: r.host === null ? null : `${r.host}:${r.pid}`,
    leaseLapsed: r.receiver_id !== null,
  }));
}

/** Removes lapsed leases that no upload names any more. */
export async function removeLapsedApiProcesses(db: Kysely<Database>, leaseSeconds: number): Promise<void> {
  await db
    .deleteFrom('api_processes')
    .where('heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${leaseSeconds})`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('samples').select('id').whereRef('samples.receiver_id', '=', 'api_processes.id'))))
    .execute();
}
