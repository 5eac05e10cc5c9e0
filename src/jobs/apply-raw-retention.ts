import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { isoDurationSeconds } from '../engine/profile/iso-duration.js';

/** What {@link applyRawRetention} did. */
export interface RetentionOutcome {
  /** Samples whose raw data was deleted by this run. */
  readonly samples: number;
  /** Raw blocks deleted. */
  readonly blocks: number;
  /** Workflows skipped because their retention setting does not parse, with the value. */
  readonly invalidSettings: ReadonlyArray<{ readonly workflowId: string; readonly rawRetention: string }>;
}

/**
 * Deletes the raw blocks (and the per-block states) of every PROFILED sample uploaded longer ago
 * than its workflow's `raw_retention` (ISO 8601, default `P7D`; a month counts 30 days, a year
 * 365: see {@link isoDurationSeconds}), and stamps `raw_deleted_at`.
 * Profiles and reports are kept: they hold aggregates only. One statement per workflow, so a
 * sample is never left with half of its blocks; running it twice deletes nothing more.
 */
export async function applyRawRetention(db: Kysely<Database>, now: Date = new Date()): Promise<RetentionOutcome> {
  const workflows = await db.selectFrom('workflows').select(['id', 'raw_retention']).execute();
  let samples = 0;
  let blocks = 0;
  const invalidSettings: Array<{ workflowId: string; rawRetention: string }> = [];
  for (const workflow of workflows) {
    const seconds = isoDurationSeconds(workflow.raw_retention);
    if (seconds === undefined) {
      invalidSettings.push({ workflowId: workflow.id, rawRetention: workflow.raw_retention });
      continue;
    }
    const cutoff = new Date(now.getTime() - seconds * 1000);
    const result = await sql<{ samples: number; blocks: number }>`
      WITH expired AS (
        UPDATE samples SET raw_deleted_at = ${now}, updated_at = ${now}
        WHERE workflow_id = ${workflow.id}::uuid AND status = 'PROFILED' AND raw_deleted_at IS NULL AND created_at < ${cutoff}
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
    samples += result.rows[0]?.samples ?? 0;
    blocks += result.rows[0]?.blocks ?? 0;
  }
  return { samples, blocks, invalidSettings };
}
