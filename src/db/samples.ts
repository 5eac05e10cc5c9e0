import { sql, type Kysely } from 'kysely';
import type { Database, SampleRole, SampleRow, SampleStatus } from './database.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

/** Name of the partial unique index on (dataset_id, sha256) of samples that did not fail. */
export const SAMPLE_CONTENT_INDEX = 'samples_dataset_sha256_key';

/** Inserts a sample that awaits its bytes and returns it. */
export async function insertSample(
  db: Kysely<Database>,
  values: {
    dataset_id: string;
    workflow_id: string;
    role: SampleRole;
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
 * Moves a sample from AWAITING_UPLOAD to RECEIVING. Returns the row, or undefined when the sample
 * does not exist or is in another state, so that two concurrent uploads cannot both write it.
 */
export async function claimSampleForUpload(db: Kysely<Database>, id: string): Promise<SampleRow | undefined> {
  return db
    .updateTable('samples')
    .set({ status: 'RECEIVING', updated_at: new Date(), error: null, error_code: null })
    .where('id', '=', id)
    .where('status', '=', 'AWAITING_UPLOAD')
    .returningAll()
    .executeTakeFirst();
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
 * Raises a unique violation on {@link SAMPLE_CONTENT_INDEX} when the dataset already holds the same content.
 */
export async function markSampleReceived(db: Kysely<Database>, id: string, facts: ReceivedFacts): Promise<SampleRow | undefined> {
  return db
    .updateTable('samples')
    .set({
      status: 'RECEIVED',
      byte_size: facts.byteSize,
      sha256: facts.sha256,
      blocks_total: facts.blocksTotal,
      progress: facts.blocksTotal > 0 ? sql<number>`least(1, blocks_done::real / ${facts.blocksTotal})` : 0,
      dialect: JSON.stringify(facts.dialect),
      rows: facts.rows,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', 'RECEIVING')
    .returningAll()
    .executeTakeFirst();
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

/**
 * Leaves a RECEIVING sample FAILED with a reason and drops every raw block and partial state it
 * has, in one transaction, so that no half-received sample survives looking complete. A sample
 * that already left RECEIVING keeps its state (the first failure reported wins), but its blocks
 * still go if it is FAILED.
 */
export async function failSample(
  db: Kysely<Database>,
  id: string,
  failure: { errorCode: string; error: string; byteSize?: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('samples')
      .set({
        status: 'FAILED',
        error: failure.error,
        error_code: failure.errorCode,
        byte_size: failure.byteSize ?? null,
        sha256: null,
        blocks_total: null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('status', '=', 'RECEIVING')
      .returning('status')
      .executeTakeFirst();
    const current = row ?? (await trx.selectFrom('samples').select('status').where('id', '=', id).executeTakeFirst());
    if (current?.status !== 'FAILED') return;
    await trx.deleteFrom('sample_blocks').where('sample_id', '=', id).execute();
    await trx.deleteFrom('sample_block_states').where('sample_id', '=', id).execute();
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
