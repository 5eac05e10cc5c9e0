import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { profileBlock } from '../profiler/profile-block.js';
import { BadInputError } from './bad-input-error.js';
import { readDialect } from './profile-settings.js';
import { hasBlockState, upsertBlockState } from '../db/block-states.js';
import { recordBlockProgress, type SampleForProfiling } from '../db/profiling-samples.js';
import { findBlockBytes } from '../db/sample-blocks.js';

/** What {@link profileStoredBlock} did. */
export interface BlockOutcome {
  /** Rows of the block (0 when its state was already stored). */
  readonly rows: number;
  /** The state was already stored: nothing was profiled. */
  readonly alreadyStored: boolean;
  /** Bytes of the block profiled (0 when its state was already stored). */
  readonly bytes: number;
}

/**
 * Profiles one stored block of a sample and stores its state keyed by (sample, block), then
 * brings the sample's progress up to date. Idempotent: a block whose state is stored is not
 * profiled again, and a block profiled twice concurrently stores the same state twice.
 *
 * @throws BadInputError when the block cannot be profiled however often it is retried (missing,
 *   binary, no dialect); any other error is transient (database, network).
 */
export async function profileStoredBlock(db: Kysely<Database>, sample: SampleForProfiling, blockIndex: number): Promise<BlockOutcome> {
  if (await hasBlockState(db, sample.id, blockIndex)) {
    await recordBlockProgress(db, sample.id);
    return { rows: 0, alreadyStored: true, bytes: 0 };
  }
  const dialect = readDialect(sample.dialect, sample.id);
  const block = await findBlockBytes(db, sample.id, blockIndex);
  if (!block) {
    if (sample.rawDeletedAt) {
      throw new BadInputError(
        'RAW_DATA_DELETED',
        `the raw data of this sample was deleted on ${sample.rawDeletedAt.toISOString()} before block ${blockIndex} was profiled; upload the file again`,
      );
    }
    throw new BadInputError('BLOCK_MISSING', `block ${blockIndex} of this sample is not stored; upload the file again`);
  }
  const nul = block.bytes.indexOf(0);
  if (nul >= 0) {
    throw new BadInputError(
      'BINARY_CONTENT',
      `the file holds binary data (a NUL byte at byte ${block.byteOffset + nul}, in block ${blockIndex}); from there on it is not ` +
        'delimited text. Was something appended to the export, or is it a spreadsheet or archive? Export it as CSV again',
    );
  }
  const state = profileBlock(block.bytes, dialect, blockIndex, block.byteOffset);
  await upsertBlockState(db, sample.id, blockIndex, state.rows, state.toJSON());
  await recordBlockProgress(db, sample.id);
  return { rows: state.rows, alreadyStored: false, bytes: block.bytes.byteLength };
}
