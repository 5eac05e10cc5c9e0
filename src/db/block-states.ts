import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { isProfilable } from './profiling-samples.js';

/* The per-block profile states of a sample (`sample_block_states`), merged into its profile once every block has one. */

/** Whether the state of a block is already stored (a retried or repeated job then has nothing to do). */
export async function hasBlockState(db: Kysely<Database>, sampleId: string, blockIndex: number): Promise<boolean> {
  const row = await db
    .selectFrom('sample_block_states')
    .select('block_index')
    .where('sample_id', '=', sampleId)
    .where('block_index', '=', blockIndex)
    .where('state', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Stores the state of a block, keyed by (sample, block): a block profiled twice (a retry, a
 * stalled job run again) replaces its state with the same value instead of adding to it. Writes
 * nothing once the sample left RECEIVING/RECEIVED/PROFILING (it failed meanwhile).
 *
 * The sample's row is share-locked while the state is written, so that a concurrent failure
 * (which updates the row, then deletes the states) is ordered with it: either the state is
 * written first and deleted by the failure, or the failure commits first and nothing is written.
 *
 * @returns whether the state was stored.
 */
export async function upsertBlockState(
  db: Kysely<Database>,
  sampleId: string,
  blockIndex: number,
  rows: number,
  state: unknown,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const sample = await trx.selectFrom('samples').select('status').where('id', '=', sampleId).forShare().executeTakeFirst();
    if (!sample || !isProfilable(sample.status)) return false;
    await trx
      .insertInto('sample_block_states')
      .values({ sample_id: sampleId, block_index: blockIndex, rows, state: JSON.stringify(state) })
      .onConflict((oc) =>
        oc.columns(['sample_id', 'block_index']).doUpdateSet((eb) => ({ rows: eb.ref('excluded.rows'), state: eb.ref('excluded.state') })),
      )
      .execute();
    return true;
  });
}

/** Indexes of the blocks whose state is stored, ascending. */
export async function listStoredBlockIndexes(db: Kysely<Database>, sampleId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('sample_block_states')
    .select('block_index')
    .where('sample_id', '=', sampleId)
    .where('state', 'is not', null)
    .orderBy('block_index')
    .execute();
  return rows.map((r) => r.block_index);
}

/**
 * The stored block states of a sample in block order, a few at a time, so that merging a large
 * sample never holds every state in memory at once. The next batch is fetched while the caller
 * merges the current one.
 */
export async function* readBlockStates(
  db: Kysely<Database>,
  sampleId: string,
  batchSize = 4,
): AsyncGenerator<{ blockIndex: number; state: unknown }> {
  const fetchAfter = (after: number) => {
    const batch = db
      .selectFrom('sample_block_states')
      .select(['block_index', 'state'])
      .where('sample_id', '=', sampleId)
      .where('block_index', '>', after)
      .where('state', 'is not', null)
      .orderBy('block_index')
      .limit(batchSize)
      .execute();
    // A prefetch the caller never reaches (it stopped early) must not surface as an unhandled rejection.
    batch.catch(() => undefined);
    return batch;
  };
  let pending = fetchAfter(-1);
  while (true) {
    const batch = await pending;
    const full = batch.length === batchSize;
    if (full) pending = fetchAfter(batch[batch.length - 1].block_index);
    for (const row of batch) yield { blockIndex: row.block_index, state: row.state };
    if (!full) return;
  }
}

/** Deletes the partial block states of FAILED samples (an upload that broke off while early blocks were profiled). */
export async function deleteBlockStatesOfFailedSamples(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('sample_block_states').where('sample_id', 'in', db.selectFrom('samples').select('id').where('status', '=', 'FAILED')).execute();
}
