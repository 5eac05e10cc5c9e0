import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/** Each workflow's raw-data retention setting (`raw_retention`, ISO 8601 duration text). */
export async function listRawRetentionSettings(db: Kysely<Database>): Promise<Array<{ id: string; raw_retention: string }>> {
  return db.selectFrom('workflows').select(['id', 'raw_retention']).execute();
}

/**
 * Deletes the raw blocks (and the per-block states) of the workflow's PROFILED samples uploaded
 * before `uploadedBefore`, and stamps their `raw_deleted_at` with `now`. One statement, so a
 * sample is never left with half of its blocks; running it twice deletes nothing more.
 *
 * @returns the samples whose raw data was deleted, and the blocks deleted.
 */
export async function deleteExpiredRawData(
  db: Kysely<Database>,
  workflowId: string,
  uploadedBefore: Date,
  now: Date,
): Promise<{ samples: number; blocks: number }> {
  const result = await sql<{ samples: number; blocks: number }>`
    WITH expired AS (
      UPDATE samples SET raw_deleted_at = ${now}, updated_at = ${now}
      WHERE workflow_id = ${workflowId}::uuid AND status = 'PROFILED' AND raw_deleted_at IS NULL AND created_at < ${uploadedBefore}
      RETURNING id
    ), deleted_blocks AS (
      DELETE FROM sample_blocks WHERE sample_id IN (SELECT id FROM expired) RETURNING 1
    ), deleted_states AS (
      DELETE FROM sample_block_states WHERE sample_id IN (SELECT id FROM expired) RETURNING 1
    )
    SELECT (SELECT count(*) FROM expired)::int AS samples,
           (SELECT count(*) FROM deleted_blocks)::int AS blocks,
           (SELECT count(*) FROM deleted_states)::int AS states
  `.execute(db);
  return { samples: result.rows[0]?.samples ?? 0, blocks: result.rows[0]?.blocks ?? 0 };
}
