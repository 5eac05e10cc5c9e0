import { UnrecoverableError } from './unrecoverable-error.js';
import type { Kysely } from 'kysely';
import type { Database, SampleStatus } from '../db/database.js';
import { BadInputError } from './bad-input-error.js';
import { isLastAttempt, type JobLike } from './job-like.js';
import { markProfilingFailed } from './sample-profiling-store.js';

/** A block job's result when its block was left to the merge (see {@link settleProfilingError}). */
export interface DeferredBlock {
  readonly deferred: string;
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
 *   block again (see `addProfileFlow`), and meets the problem then.
 *
 * @param sample the sample as it was when the job read it: a sample read while RECEIVING defers
 *   even if its upload completed meanwhile, since what was read (no dialect yet) may be out of date.
 * @returns only in the deferred case; throws otherwise.
 */
export async function settleProfilingError(
  db: Kysely<Database>,
  job: JobLike,
  sample: { readonly id: string; readonly status: SampleStatus },
  what: string,
  error: unknown,
): Promise<DeferredBlock> {
  const message = error instanceof Error ? error.message : String(error);
  const readWhileReceiving = sample.status === 'RECEIVING';
  if (error instanceof BadInputError) {
    if (readWhileReceiving) return { deferred: message };
    await markProfilingFailed(db, sample.id, { code: error.code, message: error.message });
    throw new UnrecoverableError(error.message);
  }
  if (isLastAttempt(job)) {
    const current = await db.selectFrom('samples').select('status').where('id', '=', sample.id).executeTakeFirst();
    if (readWhileReceiving || current?.status === 'RECEIVING') return { deferred: message };
    const attempts = job.opts.attempts ?? 1;
    await markProfilingFailed(db, sample.id, {
      code: 'PROFILING_FAILED',
      message: `profiling ${what} failed ${attempts} time${attempts === 1 ? '' : 's'} (last error: ${message}); upload the file again, or ask the operator to check the workers' database connection`,
    });
  }
  throw error;
}
