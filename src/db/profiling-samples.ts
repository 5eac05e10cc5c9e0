import type { Kysely } from 'kysely';
import type { Database, DatasetContract, SampleRole, SampleStatus } from './database.js';
import { PROFILABLE } from './sample-lifecycle.js';

/*
 * The sample side of profiling: what the profiling jobs read about a sample, and the progress
 * they record on it.
 */

// The status write of profiling progress lives in sample-lifecycle.ts; re-exported for the profiling jobs.
export { recordBlockProgress } from './sample-lifecycle.js';

/** What profiling reads about a sample, its dataset and its workflow. */
export interface SampleForProfiling {
  readonly id: string;
  readonly datasetId: string;
  readonly workflowId: string;
  readonly role: SampleRole;
  readonly status: SampleStatus;
  readonly dialect: unknown;
  readonly blocksTotal: number | null;
  readonly extractedAt: Date;
  readonly rawDeletedAt: Date | null;
  readonly contract: DatasetContract;
  readonly freshnessWarnAfter: string;
  readonly freshnessErrorAfter: string;
}

/** The sample with its dataset contract and workflow freshness settings, or undefined when it does not exist. */
export async function findSampleForProfiling(db: Kysely<Database>, sampleId: string): Promise<SampleForProfiling | undefined> {
  const row = await db
    .selectFrom('samples as s')
    .innerJoin('datasets as d', 'd.id', 's.dataset_id')
    .innerJoin('workflows as w', 'w.id', 's.workflow_id')
    .select([
      's.id',
      's.dataset_id',
      's.workflow_id',
      's.role',
      's.status',
      's.dialect',
      's.blocks_total',
      's.extracted_at',
      's.raw_deleted_at',
      'd.contract',
      'w.freshness_warn_after',
      'w.freshness_error_after',
    ])
    .where('s.id', '=', sampleId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    datasetId: row.dataset_id,
    workflowId: row.workflow_id,
    role: row.role,
    status: row.status,
    dialect: row.dialect,
    blocksTotal: row.blocks_total,
    extractedAt: row.extracted_at,
    rawDeletedAt: row.raw_deleted_at,
    contract: row.contract ?? {},
    freshnessWarnAfter: row.freshness_warn_after,
    freshnessErrorAfter: row.freshness_error_after,
  };
}

/**
 * Whether the sample's CSV dialect is recorded. Blocks cannot be parsed without it, so early
 * block jobs are only worth queueing once it is.
 */
export async function hasDialect(db: Kysely<Database>, sampleId: string): Promise<boolean> {
  const row = await db.selectFrom('samples').select('id').where('id', '=', sampleId).where('dialect', 'is not', null).executeTakeFirst();
  return row !== undefined;
}

/** Whether a status still allows profiling work on the sample. */
export function isProfilable(status: SampleStatus): boolean {
  return PROFILABLE.includes(status);
}

/** A sample being profiled: enough to rebuild its profiling flow. */
export interface SampleInProfiling {
  readonly id: string;
  readonly dataset_id: string;
  readonly blocks_total: number | null;
}

/**
 * RECEIVED or PROFILING samples that made no progress since `before`, longest idle first (the
 * reconciler checks that the queue still holds their work).
 */
export async function listIdleProfilingSamples(db: Kysely<Database>, before: Date, limit: number): Promise<SampleInProfiling[]> {
  return db
    .selectFrom('samples')
    .select(['id', 'dataset_id', 'blocks_total'])
    .where('status', 'in', ['RECEIVED', 'PROFILING'])
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}
