import { sql, type Expression, type Kysely } from 'kysely';
import type { Database, RealityReportRow } from './database.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

/** Reports with the given ids (any order; missing ids are absent). */
export async function findReportsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<RealityReportRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('reality_reports').selectAll().where('id', 'in', ids).execute();
}

/** One page of the report history of a dataset or a workflow, newest first. */
export async function listReports(
  db: Kysely<Database>,
  filter: { datasetId?: string; workflowId?: string },
  page: KeysetPage,
): Promise<Paged<RealityReportRow>[]> {
  let query = db.selectFrom('reality_reports').selectAll('reality_reports');
  if (filter.datasetId) query = query.where('reality_reports.dataset_id', '=', filter.datasetId);
  if (filter.workflowId) query = query.where('reality_reports.workflow_id', '=', filter.workflowId);
  return paginate(query, 'reality_reports', { ...page, newestFirst: true }).execute();
}

/**
 * The newest report of a dataset, the one definition of a dataset's latest report: the last
 * created, the greater id between two created at once. `datasetId` is a value, or a reference
 * such as `sql.ref('d.id')` in a query over datasets; select the columns needed from it.
 */
export function latestReportOf(db: Kysely<Database>, datasetId: string | Expression<string>) {
  return db
    .selectFrom('reality_reports')
    .where('reality_reports.dataset_id', '=', datasetId)
    .orderBy('reality_reports.created_at', 'desc')
    .orderBy('reality_reports.id', 'desc')
    .limit(1);
}

/** The newest report of each given dataset (datasets without a report are absent); see {@link latestReportOf}. */
export async function findLatestReportsByDatasetIds(
  db: Kysely<Database>,
  datasetIds: readonly string[],
): Promise<RealityReportRow[]> {
  if (datasetIds.length === 0) return [];
  const latest = latestReportOf(db, sql.ref<string>('d.id')).selectAll('reality_reports');
  const result = await sql<RealityReportRow>`
    SELECT r.* FROM unnest(${[...new Set(datasetIds)]}::uuid[]) AS d(id) CROSS JOIN LATERAL (${latest}) r
  `.execute(db);
  return result.rows;
}

/** What a report compared: its samples and scoring rules. */
export type ReportBasis = Pick<RealityReportRow, 'id' | 'production_sample_id' | 'pilot_sample_ids' | 'drs_version'>;

/** The newest report of a dataset, without its body, or undefined when it has none. */
export async function findLatestReport(db: Kysely<Database>, datasetId: string): Promise<ReportBasis | undefined> {
  return latestReportOf(db, datasetId).select(['id', 'production_sample_id', 'pilot_sample_ids', 'drs_version']).executeTakeFirst();
}

/** A report to store: what {@link insertRealityReport} writes. */
export interface NewRealityReport {
  readonly workflowId: string;
  readonly datasetId: string;
  readonly productionSampleId: string;
  readonly pilotSampleIds: string[];
  readonly score: number | null;
  readonly drsVersion: string;
  readonly report: unknown;
  readonly createdAt: Date;
}

/** Stores a report; returns its id. */
export async function insertRealityReport(db: Kysely<Database>, report: NewRealityReport): Promise<string> {
  const stored = await db
    .insertInto('reality_reports')
    .values({
      workflow_id: report.workflowId,
      dataset_id: report.datasetId,
      production_sample_id: report.productionSampleId,
      pilot_sample_ids: report.pilotSampleIds,
      score: report.score,
      drs_version: report.drsVersion,
      report: JSON.stringify(report.report),
      created_at: report.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return stored.id;
}

/**
 * Datasets that have a profiled, active sample whose profile is newer than their latest report,
 * profiled before `profiledBefore`, and that have an active, profiled PILOT and PRODUCTION
 * sample: a report is due. One row per dataset, naming its most recently profiled such sample.
 */
export async function listDatasetsDueForReport(
  db: Kysely<Database>,
  profiledBefore: Date,
  limit: number,
): Promise<Array<{ sample_id: string; dataset_id: string }>> {
  const result = await sql<{ sample_id: string; dataset_id: string }>`
    SELECT DISTINCT ON (s.dataset_id) s.id AS sample_id, s.dataset_id
    FROM samples s
    JOIN profiles p ON p.sample_id = s.id
    WHERE s.status = 'PROFILED' AND s.active AND p.created_at < ${profiledBefore}
      AND p.created_at > coalesce((${latestReportOf(db, sql.ref<string>('s.dataset_id')).select('reality_reports.created_at')}), '-infinity')
      AND EXISTS (SELECT 1 FROM samples q WHERE q.dataset_id = s.dataset_id AND q.role = 'PILOT' AND q.active AND q.status = 'PROFILED')
      AND EXISTS (SELECT 1 FROM samples q WHERE q.dataset_id = s.dataset_id AND q.role = 'PRODUCTION' AND q.active AND q.status = 'PROFILED')
    ORDER BY s.dataset_id, p.created_at DESC
    LIMIT ${limit}
  `.execute(db);
  return result.rows;
}
