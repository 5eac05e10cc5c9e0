import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import type { JobLike } from '../../src/queue/job-like.js';
import { mergeProfilePayload, parsePayload } from '../../src/queue/job-payloads.js';
import { mergeSampleProfile, type MergeOutcome } from '../../src/pipeline/merge-sample-profile.js';
import { settleProfilingError } from '../../src/pipeline/profiling-failure.js';
import { threadDatabase } from './thread-database.js';

/**
 * `merge-profile`: runs once every block job of the sample completed; merges the block states
 * in block order and stores the profile with the sample PROFILED (see `mergeSampleProfile`).
 */
export async function processMergeProfile(db: Kysely<Database>, job: JobLike): Promise<MergeOutcome> {
  const { sampleId } = parsePayload(mergeProfilePayload, job.data, `merge-profile job ${job.id ?? ''}`);
  try {
    return await mergeSampleProfile(db, sampleId);
  } catch (error) {
    // A merge runs after the upload completed: the error fails the sample or is retried (or is moot
    // when the sample was failed or profiled meanwhile), never deferred.
    const settled = await settleProfilingError(db, job, { id: sampleId, status: 'PROFILING' }, 'the merge', error);
    return { kind: 'skipped', reason: 'deferred' in settled ? settled.deferred : settled.skipped };
  }
}

/** Entry point on a processor thread (see `JobThreads`). */
export default async function mergeProfileProcessor(job: JobLike): Promise<MergeOutcome> {
  return processMergeProfile(threadDatabase(), job);
}
