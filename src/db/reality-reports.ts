import type { Kysely } from 'kysely';
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

/** The newest report of each given dataset (datasets without a report are absent). */
export async function findLatestReportsByDatasetIds(
  db: Kysely<Database>,
  datasetIds: readonly string[],
): Promise<RealityReportRow[]> {
  if (datasetIds.length === 0) return [];
  return db
    .selectFrom('reality_reports')
    .selectAll()
    .distinctOn('dataset_id')
    .where('dataset_id', 'in', datasetIds)
    .orderBy('dataset_id')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
