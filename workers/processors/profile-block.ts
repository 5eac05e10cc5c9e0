import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import type { JobLike } from '../../src/queue/job-like.js';
import { parsePayload, profileBlockPayload } from '../../src/queue/job-payloads.js';
import { profileStoredBlock } from '../../src/pipeline/profile-stored-block.js';
import { settleProfilingError, type DeferredBlock } from '../../src/pipeline/profiling-failure.js';
import { findSampleForProfiling, isProfilable } from '../../src/db/profiling-samples.js';
import { threadDatabase } from './thread-database.js';

/** Result of a `profile-block` job (kept by BullMQ as the child's value). */
export type ProfileBlockResult =
  | { readonly rows: number; readonly alreadyStored: boolean; readonly bytes: number }
  | { readonly skipped: string }
  | DeferredBlock;

/**
 * `profile-block`: profiles one stored block and upserts its state (see `profileStoredBlock`).
 * A sample that failed or finished meanwhile is skipped.
 */
export async function processProfileBlock(db: Kysely<Database>, job: JobLike): Promise<ProfileBlockResult> {
  const { sampleId, blockIndex } = parsePayload(profileBlockPayload, job.data, `profile-block job ${job.id ?? ''}`);
  const sample = await findSampleForProfiling(db, sampleId);
  if (!sample) return { skipped: 'the sample no longer exists' };
  if (!isProfilable(sample.status)) return { skipped: `the sample is ${sample.status}` };
  try {
    return await profileStoredBlock(db, sample, blockIndex);
  } catch (error) {
    return settleProfilingError(db, job, sample, `block ${blockIndex}`, error);
  }
}

/** Entry point on a processor thread (see `JobThreads`): CPU work there never blocks lock renewal. */
export default async function profileBlockProcessor(job: JobLike): Promise<ProfileBlockResult> {
  return processProfileBlock(threadDatabase(), job);
}
