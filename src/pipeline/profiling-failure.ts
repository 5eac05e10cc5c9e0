import { UnrecoverableError } from '../queue/unrecoverable-error.js';
import type { Kysely } from 'kysely';
import type { Database, SampleStatus } from '../db/database.js';
import { BadInputError } from './bad-input-error.js';
import { isLastAttempt, type JobLike } from '../queue/job-like.js';
import { failSample, findSampleStatus } from '../db/samples.js';

/** A block job's result when its block was left to the merge (see {@link settleProfilingError}). */
export interface DeferredBlock {
  readonly deferred: string;
}

/** A job's result when its sample no longer needs it: failed, profiled or deleted meanwhile. */
export interface SkippedWork {
  readonly skipped: string;
}

/**
 * Decides what a profiling error does to the job and the sample:
 *
 * - bad input (the block or sample can never be profiled): the sample becomes FAILED with the
 *   error's message and the job fails without retries ({@link UnrecoverableError});
 * - a transient fault: the job throws and BullMQ retries it with backoff; on its last attempt the
 *   sample becomes FAILED, saying what kept failing — never left PROFILING;
 * - while the upload is still arriving (RECEIVING) the sample cannot fail yet, so an early block
 *   job completes instead with `{ deferred }`; the flow added when the upload completes runs the
 *   block again (see `addProfileFlow`), and meets the problem then;
 * - a sample that left profiling meanwhile (its upload failed, another job failed it, it was
 *   profiled or deleted) needs nothing more: the job completes with `{ skipped }`, without
 *   retries and without failing its flow a second time.
 *
 * @param sample the sample as it was when the job read it: a sample read while RECEIVING defers
 *   even if its upload completed meanwhile, since what was read (no dialect yet) may be out of date.
 * @returns only in the deferred and skipped cases; throws otherwise.
 */
export async function settleProfilingError(
  db: Kysely<Database>,
  job: JobLike,
  sample: { readonly id: string; readonly status: SampleStatus },
  what: string,
  error: unknown,
): Promise<DeferredBlock | SkippedWork> {
  const message = error instanceof Error ? error.message : String(error);
  const readWhileReceiving = sample.status === 'RECEIVING';
  if (error instanceof BadInputError) {
    if (readWhileReceiving) return { deferred: message };
    if (await failSample(db, sample.id, { stage: 'profiling', code: error.code, message: error.message })) throw new UnrecoverableError(error.message);
    // No longer RECEIVED or PROFILING (statuses only move on): its fate was settled first.
    return skipped(await findSampleStatus(db, sample.id));
  }
  // A transient fault may be the database itself: then the status cannot be read, and the job is retried.
  const current = await findSampleStatus(db, sample.id).catch(() => 'UNREADABLE' as const);
  if (current === undefined || current === 'FAILED' || current === 'PROFILED') return skipped(current);
  if (isLastAttempt(job)) {
    if (readWhileReceiving || current === 'RECEIVING') return { deferred: message };
    const attempts = job.opts.attempts ?? 1;
    await failSample(db, sample.id, {
      stage: 'profiling',
      code: 'PROFILING_FAILED',
      message: `profiling ${what} failed ${attempts} time${attempts === 1 ? '' : 's'} (last error: ${message}); upload the file again, or ask the operator to check the workers' database connection`,
    });
  }
  throw error;
}

function skipped(status: SampleStatus | undefined): SkippedWork {
  return { skipped: status === undefined ? 'the sample no longer exists' : `the sample is ${status}` };
}
