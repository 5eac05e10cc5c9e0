import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DatasetContract } from './database.js';
import { latestReportOf } from './reality-reports.js';

/*
 * The state of a dataset's report, in one place: the lock that serializes everything that
 * changes which report describes a dataset, the pending request for a new report, the reason the
 * last attempt failed, the inputs a report would compare now, and the workflow score derived from
 * the latest reports.
 */

/**
 * Takes the per-dataset report lock until the end of the transaction. Computing a report,
 * recording why it failed, and changing which samples take part in it (deactivating, reactivating,
 * deleting) all hold it, so that they apply one after the other.
 */
export async function lockDatasetReport(trx: Transaction<Database>, datasetId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`realitycheck.report:${datasetId}`}, 0))`.execute(trx);
}

/** Codes of {@link ReportError}. */
export type ReportErrorCode =
  /** The active PILOT samples do not all have the same columns, so no baseline can be merged. */
  | 'PILOT_COLUMNS_DIFFER'
  /** A stored profile state cannot be read. */
  | 'BAD_STATE'
  /** The dataset has a report, but no active, profiled PILOT sample any more. */
  | 'NO_PILOT'
  /** The dataset has a report, but no active, profiled PRODUCTION sample any more. */
  | 'NO_PRODUCTION'
  /** Computing the report kept failing (a transient fault outlasted every retry). */
  | 'REPORT_FAILED'
  /** Comparing the samples needed more memory than a worker thread may use (`WORKER_THREAD_HEAP_MAX_MB`). */
  | 'REPORT_TOO_LARGE';

/** Why the dataset's report could not be computed. */
export interface ReportError {
  readonly code: ReportErrorCode;
  /** For a person: what is wrong and what to do. */
  readonly message: string;
  /** The sample concerned, when one is. */
  readonly sampleId: string | null;
}

/**
 * Records why the last attempt at the dataset's report failed, and that the request it answered
 * is served (the reconciler does not queue it again; the next change or profile does).
 */
export async function recordReportError(trx: Transaction<Database>, datasetId: string, error: ReportError): Promise<void> {
  await trx
    .updateTable('datasets')
    .set({
      report_error_code: error.code,
      report_error_message: error.message,
      report_error_sample_id: error.sampleId,
      report_error_at: sql<Date>`clock_timestamp()`,
      report_requested_at: null,
    })
    .where('id', '=', datasetId)
    .execute();
}

/** Records a report failure in a transaction of its own, under the report lock. */
export async function recordReportFailure(db: Kysely<Database>, datasetId: string, error: ReportError): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockDatasetReport(trx, datasetId);
    await recordReportError(trx, datasetId, error);
  });
}

/** Clears the report error and the pending request: the dataset's report is up to date. */
export async function markReportCurrent(trx: Transaction<Database>, datasetId: string): Promise<void> {
  await trx
    .updateTable('datasets')
    .set({ report_error_code: null, report_error_message: null, report_error_sample_id: null, report_error_at: null, report_requested_at: null })
    .where('id', '=', datasetId)
    .execute();
}

/**
 * Asks for a new report of the dataset (its samples changed). The report job that answers it
 * computes a new report even when the samples compared are those of the latest one (reports it
 * compared against may have been deleted), and clears the request; until then the reconciler
 * queues the job again if it was lost.
 */
export async function requestReport(trx: Transaction<Database>, datasetId: string): Promise<Date> {
  const row = await trx
    .updateTable('datasets')
    .set({ report_requested_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', datasetId)
    .returning('report_requested_at')
    .executeTakeFirstOrThrow();
  return row.report_requested_at as Date;
}

/** The samples a report of a dataset would compare now. */
export interface ReportInputs {
  /** Active, profiled PILOT samples, in baseline order (extraction time, creation, id). */
  readonly pilotIds: readonly string[];
  /** The newest active, profiled PRODUCTION sample (by extraction time), if any. */
  readonly productionId: string | null;
}

/** {@link ReportInputs} of each dataset (datasets without samples get empty inputs). */
export async function findReportInputs(db: Kysely<Database>, datasetIds: readonly string[]): Promise<Map<string, ReportInputs>> {
  const result = new Map<string, ReportInputs>(datasetIds.map((id) => [id, { pilotIds: [], productionId: null }]));
  if (datasetIds.length === 0) return result;
  const rows = await db
    .selectFrom('samples as s')
    .innerJoin('profiles as p', 'p.sample_id', 's.id')
    .select(['s.id', 's.dataset_id', 's.role'])
    .where('s.dataset_id', 'in', datasetIds)
    .where('s.active', '=', true)
    .where('s.status', '=', 'PROFILED')
    .orderBy('s.dataset_id')
    .orderBy('s.extracted_at')
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
  const pilots = new Map<string, string[]>();
  const production = new Map<string, string>();
  for (const row of rows) {
    if (row.role === 'PILOT') pilots.set(row.dataset_id, [...(pilots.get(row.dataset_id) ?? []), row.id]);
    // Ascending order: the last one seen is the newest.
    else production.set(row.dataset_id, row.id);
  }
  for (const id of datasetIds) result.set(id, { pilotIds: pilots.get(id) ?? [], productionId: production.get(id) ?? null });
  return result;
}

/** What computing a dataset's report reads about the dataset and its workflow. */
export interface DatasetForReport {
  readonly id: string;
  readonly workflow_id: string;
  readonly contract: DatasetContract | null;
  readonly report_requested_at: Date | null;
  readonly freshness_warn_after: string;
  readonly freshness_error_after: string;
}

/** The dataset with its workflow's freshness settings, or undefined when it does not exist. */
export async function findDatasetForReport(db: Kysely<Database>, datasetId: string): Promise<DatasetForReport | undefined> {
  return db
    .selectFrom('datasets as d')
    .innerJoin('workflows as w', 'w.id', 'd.workflow_id')
    .select(['d.id', 'd.workflow_id', 'd.contract', 'd.report_requested_at', 'w.freshness_warn_after', 'w.freshness_error_after'])
    .where('d.id', '=', datasetId)
    .executeTakeFirst();
}

/** An active, profiled sample that a report compares. */
export interface ProfiledSample {
  readonly id: string;
  readonly extracted_at: Date;
  readonly created_at: Date;
  readonly dialect: unknown;
  readonly filename: string | null;
}

/**
 * The samples a report of the dataset compares: its active, profiled PILOT samples in baseline
 * order (extraction time, creation, id) and its newest active, profiled PRODUCTION sample (by
 * extraction time), if any.
 */
export async function findProfiledSamples(
  db: Kysely<Database>,
  datasetId: string,
): Promise<{ pilots: ProfiledSample[]; production: ProfiledSample | undefined }> {
  const profiled = db
    .selectFrom('samples as s')
    .innerJoin('profiles as p', 'p.sample_id', 's.id')
    .select(['s.id', 's.extracted_at', 's.created_at', 's.dialect', 's.filename'])
    .where('s.dataset_id', '=', datasetId)
    .where('s.active', '=', true)
    .where('s.status', '=', 'PROFILED');
  const pilots: ProfiledSample[] = await profiled
    .where('s.role', '=', 'PILOT')
    .orderBy('s.extracted_at')
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
  const production: ProfiledSample | undefined = await profiled
    .where('s.role', '=', 'PRODUCTION')
    .orderBy('s.extracted_at', 'desc')
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { pilots, production };
}

/**
 * Datasets whose request for a new report is older than `requestedBefore`, oldest request first
 * (the reconciler queues their report job again when it is gone).
 */
export async function listPendingReportRequests(
  db: Kysely<Database>,
  requestedBefore: Date,
  limit: number,
): Promise<Array<{ id: string; report_requested_at: Date | null }>> {
  return db
    .selectFrom('datasets as d')
    .select(['d.id', 'd.report_requested_at'])
    .where('d.report_requested_at', '<', requestedBefore)
    .orderBy('d.report_requested_at')
    .limit(limit)
    .execute();
}

/**
 * Recomputes the workflow's score from the latest report of each of its datasets, weighted by
 * the datasets' weights (datasets whose latest report has no score do not count). Serialized per
 * workflow, so that it sees the reports other datasets committed meanwhile; run it last in a
 * transaction that changed reports.
 */
export async function updateWorkflowScore(trx: Transaction<Database>, workflowId: string, now: Date): Promise<number | null> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`realitycheck.score:${workflowId}`}, 0))`.execute(trx);
  const row = await sql<{ score: number | null }>`
    SELECT sum(d.weight * r.score) / nullif(sum(d.weight), 0) AS score
    FROM datasets d
    CROSS JOIN LATERAL (${latestReportOf(trx, sql.ref<string>('d.id')).select('reality_reports.score')}) r
    WHERE d.workflow_id = ${workflowId}::uuid AND r.score IS NOT NULL
  `.execute(trx);
  const score = row.rows[0]?.score ?? null;
  await trx.updateTable('workflows').set({ score, score_updated_at: now }).where('id', '=', workflowId).execute();
  return score === null ? null : Number(score);
}
