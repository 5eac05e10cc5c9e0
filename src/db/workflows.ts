import type { Kysely } from 'kysely';
import type { Database, WorkflowRow } from './database.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

/** Columns a client may set on a workflow. */
export interface WorkflowValues {
  name: string;
  description: string | null;
  readiness_target?: number;
  freshness_warn_after?: string;
  freshness_error_after?: string;
  raw_retention?: string;
}

/** Inserts a workflow for an existing owner and returns it. */
export async function insertWorkflow(
  db: Kysely<Database>,
  values: WorkflowValues & { owner_id: string },
): Promise<WorkflowRow> {
  return db.insertInto('workflows').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Updates the given columns (and `updated_at`); returns the row, or undefined when it does not exist. */
export async function updateWorkflow(
  db: Kysely<Database>,
  id: string,
  patch: Partial<WorkflowValues> & { owner_id?: string },
): Promise<WorkflowRow | undefined> {
  return db
    .updateTable('workflows')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Workflows with the given ids (any order; missing ids are absent). */
export async function findWorkflowsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<WorkflowRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('workflows').selectAll().where('id', 'in', ids).execute();
}

/** One page of workflows, oldest first, optionally limited to some ids and/or one owner. */
export async function listWorkflows(
  db: Kysely<Database>,
  page: KeysetPage,
  filter: { ids?: readonly string[]; ownerId?: string } = {},
): Promise<Paged<WorkflowRow>[]> {
  let query = db.selectFrom('workflows').selectAll('workflows');
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    query = query.where('workflows.id', 'in', filter.ids);
  }
  if (filter.ownerId) query = query.where('workflows.owner_id', '=', filter.ownerId);
  return paginate(query, 'workflows', page).execute();
}
