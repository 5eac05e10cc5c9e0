import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { deleteExpiredRawData, listRawRetentionSettings } from '../db/raw-retention.js';
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
  const workflows = await listRawRetentionSettings(db);
  let samples = 0;
  let blocks = 0;
  const invalidSettings: Array<{ workflowId: string; rawRetention: string }> = [];
  for (const workflow of workflows) {
    const seconds = isoDurationSeconds(workflow.raw_retention);
    if (seconds === undefined) {
      invalidSettings.push({ workflowId: workflow.id, rawRetention: workflow.raw_retention });
      continue;
    }
    const deleted = await deleteExpiredRawData(db, workflow.id, new Date(now.getTime() - seconds * 1000), now);
    samples += deleted.samples;
    blocks += deleted.blocks;
  }
  return { samples, blocks, invalidSettings };
}
