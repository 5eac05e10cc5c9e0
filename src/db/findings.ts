import type { Kysely } from 'kysely';
import type { Database, FindingRow, FindingStatus } from './database.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

/** Findings with the given ids (any order; missing ids are absent). */
export async function findFindingsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<FindingRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('findings').selectAll().where('id', 'in', ids).execute();
}

/**
 * Which findings {@link listFindings} returns: those of a workflow or a dataset, narrowed by each
 * list given (a finding passes when its value is one of the list; an empty list matches nothing).
 */
export interface FindingFilter {
  readonly workflowId?: string;
  readonly datasetId?: string;
  /** `critical`, `warning`, `info`. */
  readonly severities?: readonly string[];
  readonly dimensions?: readonly string[];
  readonly columns?: readonly string[];
  readonly statuses?: readonly FindingStatus[];
}

/**
 * One page of findings of a workflow or a dataset: most severe first (critical, warning, info),
 * then newest first, then by id, so that pages never skip or repeat one.
 */
export async function listFindings(db: Kysely<Database>, filter: FindingFilter, page: KeysetPage): Promise<Paged<FindingRow>[]> {
  let query = db.selectFrom('findings').selectAll('findings');
  if (filter.workflowId) query = query.where('findings.workflow_id', '=', filter.workflowId);
  if (filter.datasetId) query = query.where('findings.dataset_id', '=', filter.datasetId);
  const lists = [
    ['findings.severity', filter.severities],
    ['findings.dimension', filter.dimensions],
    ['findings.column_name', filter.columns],
    ['findings.status', filter.statuses],
  ] as const;
  for (const [column, values] of lists) {
    if (values === undefined) continue;
    if (values.length === 0) return [];
    query = query.where(column, 'in', values);
  }
  return paginate(query, 'findings', { ...page, newestFirst: true }, { lead: 'severity_level' }).execute();
}

/**
 * Changes a finding's status and/or assignee. `resolved_at` follows the status: set when it
 * becomes RESOLVED, cleared when it leaves RESOLVED. `assignee: null` unassigns.
 */
export async function updateFinding(
  db: Kysely<Database>,
  id: string,
  patch: { status?: FindingStatus; assignee?: string | null },
): Promise<FindingRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('findings').select(['status']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) return undefined;
    const now = new Date();
    const set: { status?: FindingStatus; assignee?: string | null; resolved_at?: Date | null; updated_at: Date } = {
      updated_at: now,
    };
    if (patch.status !== undefined) {
      set.status = patch.status;
      if (patch.status === 'RESOLVED' && current.status !== 'RESOLVED') set.resolved_at = now;
      if (patch.status !== 'RESOLVED') set.resolved_at = null;
    }
    if (patch.assignee !== undefined) set.assignee = patch.assignee;
    return trx.updateTable('findings').set(set).where('id', '=', id).returningAll().executeTakeFirst();
  });
}
