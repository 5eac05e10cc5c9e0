import type { Kysely } from 'kysely';
import type { Database, OwnerRow } from './database.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

/** Inserts an owner and returns it. */
export async function insertOwner(db: Kysely<Database>, values: { name: string; contact: string | null }): Promise<OwnerRow> {
  return db.insertInto('owners').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Owners with the given ids (any order; missing ids are absent). */
export async function findOwnersByIds(db: Kysely<Database>, ids: readonly string[]): Promise<OwnerRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('owners').selectAll().where('id', 'in', ids).execute();
}

/**
 * One page of owners, oldest first. With `workflowIds`, only owners of those workflows (what a
 * key scoped to some workflows may see).
 */
export async function listOwners(
  db: Kysely<Database>,
  page: KeysetPage,
  filter: { workflowIds?: readonly string[] } = {},
): Promise<Paged<OwnerRow>[]> {
  let query = db.selectFrom('owners').selectAll('owners');
  if (filter.workflowIds) {
    const ids = filter.workflowIds;
    if (ids.length === 0) return [];
    query = query.where('owners.id', 'in', db.selectFrom('workflows').select('workflows.owner_id').where('workflows.id', 'in', ids));
  }
  return paginate(query, 'owners', page).execute();
}

/** Distinct owners of the given workflows. */
export async function findOwnerIdsOfWorkflows(db: Kysely<Database>, workflowIds: readonly string[]): Promise<string[]> {
  if (workflowIds.length === 0) return [];
  const rows = await db.selectFrom('workflows').select('owner_id').distinct().where('id', 'in', workflowIds).execute();
  return rows.map((r) => r.owner_id);
}
