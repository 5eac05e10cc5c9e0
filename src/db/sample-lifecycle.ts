import { sql, type Kysely } from 'kysely';
import type { Database, SampleRow, SampleStatus } from './database.js';

/*
 * The life of a sample: the one module that writes `samples.status`. A sample is created
 * AWAITING_UPLOAD, is claimed by an upload (RECEIVING), is complete once every byte arrived
 * (RECEIVED), is being profiled (PROFILING) and ends PROFILED or FAILED. The allowed moves are
 * written once, in TRANSITIONS, and every status write below takes its WHERE clause from them, so
 * that a write racing another one (an upload failed while its last block arrives, two merges of
 * one sample) changes nothing instead of moving a sample backwards.
 *
 * Other modules read the status freely, and update other columns of a sample; the layering test
 * (src/layering.test.ts) fails when a status is set outside this file.
 */

/** The statuses a sample may move to from each status. PROFILED and FAILED are final. */
export const TRANSITIONS: Readonly<Record<SampleStatus, readonly SampleStatus[]>> = {
  AWAITING_UPLOAD: ['RECEIVING'],
  RECEIVING: ['RECEIVED', 'FAILED'],
  RECEIVED: ['PROFILING', 'PROFILED', 'FAILED'],
  PROFILING: ['PROFILED', 'FAILED'],
  PROFILED: [],
  FAILED: [],
};

const STATUSES = Object.keys(TRANSITIONS) as SampleStatus[];

/** Whether a sample may move from `from` to `to`. */
export function canMove(from: SampleStatus, to: SampleStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses from which a sample may move to `to` (what a write to `to` requires in its WHERE clause). */
export function statusesBefore(to: SampleStatus): SampleStatus[] {
  return STATUSES.filter((from) => canMove(from, to));
}

/**
 * Statuses in which a sample's blocks may still be profiled: while its upload arrives (early
 * blocks), once it is complete, and while it is being profiled.
 */
export const PROFILABLE: readonly SampleStatus[] = ['RECEIVING', ...statusesBefore('PROFILING'), 'PROFILING'];

/** Inserts a sample that awaits its bytes (the first status of every sample) and returns it. */
export async function insertSample(
  db: Kysely<Database>,
  values: {
    dataset_id: string;
    workflow_id: string;
    role: SampleRow['role'];
    source: string | null;
    filename: string | null;
    extracted_at: Date;
  },
): Promise<SampleRow> {
  return db
    .insertInto('samples')
    .values({ ...values, status: 'AWAITING_UPLOAD' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Who receives an upload, recorded when it is claimed. */
export interface UploadClaim {
  /** The API process receiving it (its lease in `api_processes`). */
  readonly receiverId: string | null;
  /** Size the client announced (Content-Length, the multipart file's size), when it did. */
  readonly expectedBytes?: number;
}

/**
 * Moves a sample from AWAITING_UPLOAD to RECEIVING, naming the API process that receives it.
 * Returns the row, or undefined when the sample does not exist or is in another state, so that
 * two concurrent uploads cannot both write it.
 */
export async function claimSampleForUpload(db: Kysely<Database>, id: string, claim: UploadClaim): Promise<SampleRow | undefined> {
  return db
    .updateTable('samples')
    .set({
      status: 'RECEIVING',
      updated_at: new Date(),
      error: null,
      error_code: null,
      receiver_id: claim.receiverId,
      expected_bytes: claim.expectedBytes ?? null,
    })
    .where('id', '=', id)
    .where('status', 'in', statusesBefore('RECEIVING'))
    .returningAll()
    .executeTakeFirst();
}

/** What the upload learned about the file, recorded when it completes. */
export interface ReceivedFacts {
  byteSize: number;
  sha256: string;
  blocksTotal: number;
  dialect: unknown;
  /** Known only for a header-only file (0); otherwise counted by the profiler. */
  rows: number | null;
}

/**
 * Marks a RECEIVING sample RECEIVED with its size, hash, block count and dialect, in one statement.
 * Blocks that workers profiled while the upload was arriving stay counted (`blocks_done`), and
 * `progress` becomes their share of the now known total.
 * Raises a unique violation on the samples' content index (`SAMPLE_CONTENT_INDEX` of samples.ts)
 * when the dataset already holds the same content.
 */
export async function markSampleReceived(db: Kysely<Database>, id: string, facts: ReceivedFacts): Promise<SampleRow | undefined> {
  return db
    .updateTable('samples')
    .set({
      status: 'RECEIVED',
      byte_size: facts.byteSize,
      sha256: facts.sha256,
      blocks_total: facts.blocksTotal,
      // Never backwards: while receiving, progress was estimated from the announced size.
      progress: facts.blocksTotal > 0 ? sql<number>`greatest(progress, least(1, blocks_done::real / ${facts.blocksTotal}))` : 0,
      dialect: JSON.stringify(facts.dialect),
      rows: facts.rows,
      receiver_id: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', 'in', statusesBefore('RECEIVED'))
    .returningAll()
    .executeTakeFirst();
}

/**
 * Brings `blocks_done` and `progress` up to the number of stored block states, and moves a
 * RECEIVED sample to PROFILING. The count only grows, so concurrent updates keep the largest
 * (`GREATEST`): the update that follows the last stored state always sees every state.
 *
 * While the upload is still arriving (RECEIVING) the number of blocks is not known yet, so
 * `progress` is estimated: the bytes of the profiled blocks over the size the client announced
 * (`expected_bytes`), or, when it announced none, the profiled blocks over the stored blocks plus
 * one. Either stays below 1 until the upload is complete, and `progress` never goes backwards.
 * A sample that is not {@link PROFILABLE} (PROFILED, FAILED) is left as it is.
 */
export async function recordBlockProgress(db: Kysely<Database>, sampleId: string): Promise<void> {
  await sql`
    UPDATE samples s SET
      blocks_done = GREATEST(s.blocks_done, c.n),
      progress = CASE
        WHEN s.blocks_total > 0 THEN GREATEST(s.progress, LEAST(1, GREATEST(s.blocks_done, c.n)::real / s.blocks_total))
        WHEN s.status = 'RECEIVING' AND s.expected_bytes > 0 THEN GREATEST(s.progress, LEAST(0.99, c.bytes::real / s.expected_bytes))
        WHEN s.status = 'RECEIVING' THEN GREATEST(s.progress, LEAST(0.99, c.n::real / (c.stored + 1)))
        ELSE s.progress END,
      status = CASE WHEN s.status IN (${sql.join(statusesBefore('PROFILING'))}) THEN 'PROFILING' ELSE s.status END,
      updated_at = now()
    FROM (
      SELECT
        (SELECT count(*)::int FROM sample_block_states WHERE sample_id = ${sampleId}::uuid) AS n,
        (SELECT coalesce(sum(b.byte_size), 0)::bigint FROM sample_blocks b
           JOIN sample_block_states t ON t.sample_id = b.sample_id AND t.block_index = b.block_index
           WHERE b.sample_id = ${sampleId}::uuid) AS bytes,
        (SELECT count(*)::int FROM sample_blocks WHERE sample_id = ${sampleId}::uuid) AS stored
    ) c
    WHERE s.id = ${sampleId}::uuid AND s.status IN (${sql.join(PROFILABLE)})
  `.execute(db);
}

/**
 * Marks a RECEIVED or PROFILING sample PROFILED with its row count, as part of storing its profile
 * (`storeProfile` calls it in its transaction). Returns false, changing nothing, when the sample
 * is in another state (it failed, or a concurrent merge finished first).
 */
export async function markSampleProfiled(db: Kysely<Database>, sampleId: string, rows: number): Promise<boolean> {
  const updated = await db
    .updateTable('samples')
    .set((eb) => ({
      status: 'PROFILED',
      rows,
      blocks_done: eb.fn.coalesce('blocks_total', sql<number>`blocks_done`),
      progress: 1,
      error: null,
      error_code: null,
      updated_at: new Date(),
    }))
    .where('id', '=', sampleId)
    .where('status', 'in', statusesBefore('PROFILED'))
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Why a sample failed, and at which stage. */
export interface SampleFailure {
  /** Stored in `error_code`: for a program. */
  readonly code: string;
  /** Stored in `error`: for a person, saying what is wrong and what to do. */
  readonly message: string;
  /**
   * `upload`: the sample must still be RECEIVING (its size, hash and block count are forgotten);
   * `profiling`: it must be RECEIVED or PROFILING (its raw data is stamped deleted).
   */
  readonly stage: 'upload' | 'profiling';
  /** Bytes received before an upload failed. */
  readonly byteSize?: number;
}

/** The statuses of each stage. A stage fails only its own statuses: a later stage never fails an earlier one. */
const STAGE: Readonly<Record<SampleFailure['stage'], readonly SampleStatus[]>> = {
  upload: ['RECEIVING'],
  profiling: ['RECEIVED', 'PROFILING'],
};

/**
 * Leaves a sample FAILED with a reason and drops every raw block and partial state it has, in one
 * transaction, so that nothing half-received or half-profiled survives looking complete. The one
 * way a sample fails, for uploads and profiling alike.
 *
 * A sample no longer in a state of its stage keeps its state (the first failure wins, and an
 * upload still arriving is left to its upload: the flow that follows meets the same problem). A
 * sample already FAILED still loses any block or state written meanwhile.
 *
 * @returns whether this call marked the sample FAILED.
 */
export async function failSample(db: Kysely<Database>, id: string, failure: SampleFailure): Promise<boolean> {
  const from = statusesBefore('FAILED').filter((status) => STAGE[failure.stage].includes(status));
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const row = await trx
      .updateTable('samples')
      .set(
        failure.stage === 'upload'
          ? {
              status: 'FAILED',
              error: failure.message,
              error_code: failure.code,
              byte_size: failure.byteSize ?? null,
              sha256: null,
              blocks_total: null,
              receiver_id: null,
              updated_at: now,
            }
          : { status: 'FAILED', error: failure.message, error_code: failure.code, raw_deleted_at: now, updated_at: now },
      )
      .where('id', '=', id)
      .where('status', 'in', from)
      .returning('status')
      .executeTakeFirst();
    const current = row ?? (await trx.selectFrom('samples').select('status').where('id', '=', id).executeTakeFirst());
    if (current?.status !== 'FAILED') return false;
    // Sample row first, then its states: `upsertBlockState` share-locks the row while it writes a
    // state, so a state is either written before this (and deleted here) or not at all.
    await trx.deleteFrom('sample_block_states').where('sample_id', '=', id).execute();
    await trx.deleteFrom('sample_blocks').where('sample_id', '=', id).execute();
    return row !== undefined;
  });
}
