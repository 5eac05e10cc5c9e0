import type { Kysely } from 'kysely';
import type { Database, DatasetContract, DatasetRow } from './database.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

/** Name of the unique constraint on (workflow_id, name). */
export const DATASET_NAME_CONSTRAINT = 'datasets_workflow_name_key';

/** Inserts a dataset; a name already used in the workflow raises a unique violation on {@link DATASET_NAME_CONSTRAINT}. */
export async function insertDataset(
  db: Kysely<Database>,
  values: { workflow_id: string; name: string; weight?: number; contract?: DatasetContract },
): Promise<DatasetRow> {
  return db
    .insertInto('datasets')
    .values({
      workflow_id: values.workflow_id,
      name: values.name,
      weight: values.weight,
      contract: JSON.stringify(values.contract ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates name, weight and/or contract; returns the row, or undefined when it does not exist. */
export async function updateDataset(
  db: Kysely<Database>,
  id: string,
  patch: { name?: string; weight?: number; contract?: DatasetContract },
): Promise<DatasetRow | undefined> {
  const set: { name?: string; weight?: number; contract?: string } = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.weight !== undefined) set.weight = patch.weight;
  if (patch.contract !== undefined) set.contract = JSON.stringify(patch.contract);
  if (Object.keys(set).length === 0) {
    return db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
  }
  return db.updateTable('datasets').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Datasets with the given ids (any order; missing ids are absent). */
export async function findDatasetsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<DatasetRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('datasets').selectAll().where('id', 'in', ids).execute();
}

/** One page of a workflow's datasets, oldest first. */
export async function listDatasets(db: Kysely<Database>, workflowId: string, page: KeysetPage): Promise<Paged<DatasetRow>[]> {
  const query = db.selectFrom('datasets').selectAll('datasets').where('datasets.workflow_id', '=', workflowId);
  return paginate(query, 'datasets', page).execute();
}
