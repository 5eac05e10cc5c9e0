import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { DatasetState, PROFILE_STATE_VERSION, type DatasetStateJson } from '../engine/profile/dataset-state.js';
import { finalizeDataset } from '../engine/profile/finalize.js';
import { PROFILE_JSON_VERSION, toProfileJson } from '../engine/profile/profile-json.js';
import { ProfileStateError } from '../engine/model/errors.js';
import { finalizeOptions } from '../profiler/finalize-options.js';
import { BadInputError } from './bad-input-error.js';
import { profileStoredBlock } from './profile-stored-block.js';
import { contractSettings, freshnessSla, readDialect } from './profile-settings.js';
import { listStoredBlockIndexes, readBlockStates } from '../db/block-states.js';
import { storeProfile } from '../db/profiles.js';
import { findSampleForProfiling, type SampleForProfiling } from '../db/profiling-samples.js';

/** Stamped on every stored profile: the versions of the state and of the profile document. */
export const ENGINE_VERSION = `profile-state-v${PROFILE_STATE_VERSION}+profile-json-v${PROFILE_JSON_VERSION}`;

/** What {@link mergeSampleProfile} did. */
export type MergeOutcome =
  | { readonly kind: 'profiled'; readonly rows: number; readonly blocks: number }
  | { readonly kind: 'skipped'; readonly reason: string };

/**
 * Merges the block states of a sample in block order, finalizes the profile and stores it with
 * the sample PROFILED, in one transaction.
 *
 * Blocks whose state is missing are profiled here first: an early block job that met bad input
 * while the upload was still arriving leaves its block to this step (a sample being received
 * cannot fail yet), and a state lost to any other accident is recomputed rather than trusted.
 * The fold starts from block 0's state and merges each following block into it, as the CLI does,
 * so the stored profile is the one `realitycheck profile` prints for the same blocks.
 *
 * @throws BadInputError when a block cannot be profiled or a stored state cannot be read.
 */
export async function mergeSampleProfile(db: Kysely<Database>, sampleId: string): Promise<MergeOutcome> {
  const sample = await findSampleForProfiling(db, sampleId);
  if (!sample) return { kind: 'skipped', reason: 'the sample no longer exists' };
  if (sample.status === 'PROFILED') return { kind: 'skipped', reason: 'the sample is already profiled' };
  if (sample.status !== 'RECEIVED' && sample.status !== 'PROFILING') {
    return { kind: 'skipped', reason: `the sample is ${sample.status}` };
  }
  const dialect = readDialect(sample.dialect, sample.id);
  const total = sample.blocksTotal;
  if (total === null) {
    throw new BadInputError('BAD_STATE', `sample ${sample.id} is ${sample.status} but its number of blocks was never recorded; upload the file again`);
  }

  const stored = new Set(await listStoredBlockIndexes(db, sample.id));
  for (let i = 0; i < total; i++) {
    if (!stored.has(i)) await profileStoredBlock(db, sample, i);
  }

  // A header-only file has no blocks: its profile is that of an empty state.
  const merged = (await foldBlockStates(db, sample, total)) ?? DatasetState.create(dialect.header, 0);
  const snapshot = finalizeDataset(merged, finalizeOptions(dialect, contractSettings(sample.role, sample.contract)));
  const profile = toProfileJson(snapshot, sample.extractedAt, freshnessSla(sample));
  const written = await storeProfile(db, {
    sampleId: sample.id,
    engineVersion: ENGINE_VERSION,
    profile,
    state: merged.toJSON(),
    rows: snapshot.rows,
  });
  if (!written) return { kind: 'skipped', reason: 'the sample left PROFILING while it was merged' };
  return { kind: 'profiled', rows: snapshot.rows, blocks: total };
}

/** Left fold of the stored states in block order; null for a sample without blocks. */
async function foldBlockStates(db: Kysely<Database>, sample: SampleForProfiling, total: number): Promise<DatasetState | null> {
  let merged: DatasetState | null = null;
  let next = 0;
  for await (const { blockIndex, state } of readBlockStates(db, sample.id)) {
    if (blockIndex >= total) break;
    if (blockIndex !== next) {
      // Stored a moment ago and gone now: the sample is being failed or deleted concurrently.
      throw new Error(`the state of block ${next} of sample ${sample.id} disappeared while it was merged`);
    }
    let blockState: DatasetState;
    try {
      blockState = DatasetState.fromJSON(state as DatasetStateJson);
      merged = merged ? merged.merge(blockState) : blockState;
    } catch (error) {
      if (error instanceof ProfileStateError) {
        throw new BadInputError('BAD_STATE', `the stored state of block ${blockIndex} cannot be merged (${error.message}); upload the file again`, {
          cause: error,
        });
      }
      throw error;
    }
    next++;
  }
  if (next !== total) {
    throw new Error(`sample ${sample.id} has ${next} of its ${total} block states after profiling the missing ones`);
  }
  return merged;
}
