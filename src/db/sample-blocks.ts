import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/** One row-aligned block of a sample's raw bytes. */
export interface SampleBlock {
  sampleId: string;
  blockIndex: number;
  byteOffset: number;
  bytes: Uint8Array;
}

/**
 * Stores one block in its own transaction, so that it is visible to workers as soon as this
 * resolves, and marks the sample as still receiving (`updated_at`, which the stale-upload sweep
 * reads). node-postgres sends the bytes as a binary parameter.
 *
 * The commit does not wait for the WAL flush (`synchronous_commit = off`): an 8 MiB block would
 * otherwise wait for the disk once per block. Nothing is lost by it: the sample only becomes
 * RECEIVED in a later, synchronous commit, which flushes the WAL of every block before it, and a
 * crash before that leaves the sample RECEIVING, to be failed by the sweep.
 */
export async function insertSampleBlock(db: Kysely<Database>, block: SampleBlock): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    await trx
      .insertInto('sample_blocks')
      .values({
        sample_id: block.sampleId,
        block_index: block.blockIndex,
        byte_offset: block.byteOffset,
        byte_size: block.bytes.byteLength,
        bytes: block.bytes,
      })
      .execute();
    await trx.updateTable('samples').set({ updated_at: new Date() }).where('id', '=', block.sampleId).execute();
  });
}

/**
 * The stored bytes of one block, or undefined when the block is not stored (or its bytes were
 * deleted). Postgres sends them base64-encoded: a third smaller than bytea's default hex text, and
 * decoded natively (about a quarter faster for an 8 MiB block).
 */
export async function findBlockBytes(
  db: Kysely<Database>,
  sampleId: string,
  blockIndex: number,
): Promise<{ bytes: Uint8Array; byteOffset: number } | undefined> {
  const row = await db
    .selectFrom('sample_blocks')
    .select([sql<string | null>`encode(bytes, 'base64')`.as('base64'), 'byte_offset'])
    .where('sample_id', '=', sampleId)
    .where('block_index', '=', blockIndex)
    .executeTakeFirst();
  if (!row || row.base64 === null) return undefined;
  // Postgres wraps base64 lines at 76 characters; Node's decoder skips the line breaks.
  return { bytes: Buffer.from(row.base64, 'base64'), byteOffset: Number(row.byte_offset) };
}
