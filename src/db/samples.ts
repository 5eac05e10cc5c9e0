import { sql, type Kysely } from 'kysely';
import type { Database, SampleRole, SampleRow, SampleStatus } from './database.js';
import { lockDatasetReport, requestReport, updateWorkflowScore } from './dataset-reports.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

// The writes of a sample's status live in sample-lifecycle.ts; re-exported for the callers of this module.
export {
  claimSampleForUpload,
  failSample,
  insertSample,
  markSampleReceived,
  type ReceivedFacts,
  type SampleFailure,
  type UploadClaim,
} from './sample-lifecycle.js';

/** Name of the partial unique index on (dataset_id, sha256) of samples that did not fail. */
export const SAMPLE_CONTENT_INDEX = 'samples_dataset_sha256_key';

/** Samples with the given ids (any order; missing ids are absent). */
export async function findSamplesByIds(db: Kysely<Database>, ids: readonly string[]): Promise<SampleRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('samples').selectAll().where('id', 'in', ids).execute();
}

/** Filter of {@link listSamples}: exactly one of datasetId / workflowId. */
export interface SampleFilter {
  datasetId?: string;
  workflowId?: string;
  role?: SampleRole;
  statuses?: readonly SampleStatus[];
}

/** One page of samples of a dataset or a workflow, newest first. */
export async function listSamples(db: Kysely<Database>, filter: SampleFilter, page: KeysetPage): Promise<Paged<SampleRow>[]> {
  let query = db.selectFrom('samples').selectAll('samples');
  if (filter.datasetId) query = query.where('samples.dataset_id', '=', filter.datasetId);
  if (filter.workflowId) query = query.where('samples.workflow_id', '=', filter.workflowId);
  if (filter.role) query = query.where('samples.role', '=', filter.role);
  if (filter.statuses && filter.statuses.length > 0) query = query.where('samples.status', 'in', filter.statuses);
  return paginate(query, 'samples', { ...page, newestFirst: true }).execute();
}

/**
 * Records the CSV dialect of a sample whose bytes are still arriving, as soon as the block cutter
 * has read the header: its blocks can be parsed from then on, so workers may profile the early
 * ones while the rest of the upload arrives. Returns whether the sample was still RECEIVING.
 *
 * @example
 * if (!(await recordSampleDialect(db, sampleId, dialect))) throw new Error('the upload was failed meanwhile');
 */
export async function recordSampleDialect(db: Kysely<Database>, id: string, dialect: unknown): Promise<boolean> {
  const row = await db
    .updateTable('samples')
    .set({ dialect: JSON.stringify(dialect), updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'RECEIVING')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The non-failed sample of a dataset holding content with this sha256, other than `exceptId`. */
export async function findSampleByContent(
  db: Kysely<Database>,
  datasetId: string,
  sha256: string,
  exceptId: string,
): Promise<SampleRow | undefined> {
  return db
    .selectFrom('samples')
    .selectAll()
    .where('dataset_id', '=', datasetId)
    .where('sha256', '=', sha256)
    .where('status', '<>', 'FAILED')
    .where('id', '<>', exceptId)
    .executeTakeFirst();
}

/** What {@link setSampleActive} and {@link deleteSample} did. */
export type SampleChange =
  | { readonly kind: 'changed'; readonly sample: SampleRow; readonly reportsDeleted: number; readonly reportRequestedAt: Date }
  | { readonly kind: 'unchanged'; readonly sample: SampleRow }
  | { readonly kind: 'not-found' }
  /** Deleting a sample whose upload is arriving is refused: the upload would fail half-way. */
  | { readonly kind: 'receiving'; readonly sample: SampleRow };

/**
 * Makes a sample take part in its dataset's reports again (`active`), or leave them. A change asks
 * for a new report of the dataset in the same transaction (see `requestReport`), under the
 * dataset's report lock, so that a report being computed is either before or after it.
 */
export async function setSampleActive(db: Kysely<Database>, id: string, active: boolean): Promise<SampleChange> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('samples').select('dataset_id').where('id', '=', id).executeTakeFirst();
    if (!current) return { kind: 'not-found' };
    await lockDatasetReport(trx, current.dataset_id);
    const updated = await trx
      .updateTable('samples')
      .set({ active, updated_at: new Date() })
      .where('id', '=', id)
      .where('active', '=', !active)
      .returningAll()
      .executeTakeFirst();
    if (!updated) {
      const sample = await trx.selectFrom('samples').selectAll().where('id', '=', id).executeTakeFirst();
      return sample ? { kind: 'unchanged', sample } : { kind: 'not-found' };
    }
    const reportRequestedAt = await requestReport(trx, updated.dataset_id);
    return { kind: 'changed', sample: updated, reportsDeleted: 0, reportRequestedAt };
  });
}

/**
 * Deletes a sample with its raw blocks, block states and profile, and the reports that compared it
 * as PRODUCTION (their findings keep their history, without a link to the deleted report). Reports
 * whose PILOT baseline included it are kept: they are history, and still say which samples they
 * merged. Asks for a new report of the dataset and recomputes the workflow score from the reports
 * that remain, in one transaction under the dataset's report lock. A sample still RECEIVING is
 * not deleted (`receiving`): its upload ends first, one way or the other.
 */
export async function deleteSample(db: Kysely<Database>, id: string): Promise<SampleChange> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('samples').select('dataset_id').where('id', '=', id).executeTakeFirst();
    if (!current) return { kind: 'not-found' };
    await lockDatasetReport(trx, current.dataset_id);
    const sample = await trx.selectFrom('samples').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!sample) return { kind: 'not-found' };
    if (sample.status === 'RECEIVING') return { kind: 'receiving', sample };
    const reports = await trx.deleteFrom('reality_reports').where('production_sample_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('samples').where('id', '=', id).execute();
    const reportRequestedAt = await requestReport(trx, sample.dataset_id);
    await updateWorkflowScore(trx, sample.workflow_id, new Date());
    return { kind: 'changed', sample, reportsDeleted: Number(reports.numDeletedRows), reportRequestedAt };
  });
}

/** Ids of samples RECEIVING whose last block arrived before `before` (their upload is gone). */
export async function findStaleUploads(db: Kysely<Database>, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('samples')
    .select('id')
    .where('status', '=', 'RECEIVING')
    .where('updated_at', '<', before)
    .execute();
  return rows.map((r) => r.id);
}

/** What a profiling job holds in memory: the sample's width and, for a block job, the block's size. */
export interface ProfilingSize {
  /** Columns of the sample's header; null while its dialect is not known yet. */
  readonly columns: number | null;
  /** Bytes of the block; null when no block was asked for or it is not stored. */
  readonly blockBytes: number | null;
}

/** The size of a sample (and of one of its blocks) for planning a job's memory; undefined without the sample. */
export async function findProfilingSize(db: Kysely<Database>, sampleId: string, blockIndex?: number): Promise<ProfilingSize | undefined> {
  const row = await db
    .selectFrom('samples')
    .select((eb) => [
      sql<number | null>`jsonb_array_length(samples.dialect -> 'header')`.as('columns'),
      blockIndex === undefined
        ? sql<number | null>`null::int`.as('block_bytes')
        : eb
            .selectFrom('sample_blocks')
            .select('sample_blocks.byte_size')
            .whereRef('sample_blocks.sample_id', '=', 'samples.id')
            .where('sample_blocks.block_index', '=', blockIndex)
            .as('block_bytes'),
    ])
    .where('samples.id', '=', sampleId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { columns: row.columns === null ? null : Number(row.columns), blockBytes: row.block_bytes === null ? null : Number(row.block_bytes) };
}

/** The widest header among a dataset's samples (what its report job holds), or null when none is known. */
export async function findDatasetColumns(db: Kysely<Database>, datasetId: string): Promise<number | null> {
  const row = await db
    .selectFrom('samples')
    .select(sql<number | null>`max(jsonb_array_length(dialect -> 'header'))`.as('columns'))
    .where('dataset_id', '=', datasetId)
    .executeTakeFirst();
  return row?.columns == null ? null : Number(row.columns);
}

/** The status of a sample, or undefined when it does not exist. */
export async function findSampleStatus(db: Kysely<Database>, sampleId: string): Promise<SampleStatus | undefined> {
  const row = await db.selectFrom('samples').select('status').where('id', '=', sampleId).executeTakeFirst();
  return row?.status;
}

/** The id of any one sample of the dataset, or undefined when it has none. */
export async function findAnySampleOfDataset(db: Kysely<Database>, datasetId: string): Promise<string | undefined> {
  const row = await db.selectFrom('samples').select('id').where('dataset_id', '=', datasetId).limit(1).executeTakeFirst();
  return row?.id;
}

/** How many samples there are in each status (statuses without samples are absent). */
export async function countSamplesByStatus(db: Kysely<Database>): Promise<Array<{ status: SampleStatus; count: number }>> {
  const rows = await db.selectFrom('samples').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
  return rows.map((row) => ({ status: row.status, count: Number(row.n) }));
}
