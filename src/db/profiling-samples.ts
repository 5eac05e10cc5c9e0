import { sql, type Kysely } from 'kysely';
import type { Database, DatasetContract, SampleRole, SampleStatus } from './database.js';

/*
 * The sample side of profiling: what the profiling jobs read about a sample, and the progress
 * they record on it.
 */

/** Statuses in which a sample's blocks may still be profiled. */
const PROFILABLE: readonly SampleStatus[] = ['RECEIVING', 'RECEIVED', 'PROFILING'];

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

/**
 * Brings `blocks_done` and `progress` up to the number of stored block states, and moves a
 * RECEIVED sample to PROFILING. The count only grows, so concurrent updates keep the largest
 * (`GREATEST`): the update that follows the last stored state always sees every state.
 *
 * While the upload is still arriving (RECEIVING) the number of blocks is not known yet, so
 * `progress` is estimated: the bytes of the profiled blocks over the size the client announced
 * (`expected_bytes`), or, when it announced none, the profiled blocks over the stored blocks plus
 * one. Either stays below 1 until the upload is complete, and `progress` never goes backwards.
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
      status = CASE WHEN s.status = 'RECEIVED' THEN 'PROFILING' ELSE s.status END,
      updated_at = now()
    FROM (
      SELECT
        (SELECT count(*)::int FROM sample_block_states WHERE sample_id = ${sampleId}::uuid) AS n,
        (SELECT coalesce(sum(b.byte_size), 0)::bigint FROM sample_blocks b
           JOIN sample_block_states t ON t.sample_id = b.sample_id AND t.block_index = b.block_index
           WHERE b.sample_id = ${sampleId}::uuid) AS bytes,
        (SELECT count(*)::int FROM sample_blocks WHERE sample_id = ${sampleId}::uuid) AS stored
    ) c
    WHERE s.id = ${sampleId}::uuid AND s.status IN ('RECEIVING', 'RECEIVED', 'PROFILING')
  `.execute(db);
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
