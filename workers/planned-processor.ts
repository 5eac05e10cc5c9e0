import type { Job } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/database.js';
import { recordReportFailure } from '../src/db/dataset-reports.js';
import { findSampleStatus } from '../src/db/samples.js';
import { BadInputError } from '../src/pipeline/bad-input-error.js';
import type { HeapPlan } from '../src/pipeline/memory-plan.js';
import { settleProfilingError } from '../src/pipeline/profiling-failure.js';
import { COMPUTE_REPORT_QUEUE, PROFILE_BLOCK_QUEUE, type QueueName } from '../src/queue/queue-names.js';
import { UnrecoverableError } from '../src/queue/unrecoverable-error.js';
import { formatBytes } from '../src/platform/config.js';
import { childLogger, type Logger } from '../src/platform/logger.js';
import { ThreadDiedError, type JobThreads } from './job-threads.js';

/** The widest header a job is planned for when the sample's is not known yet (MAX_COLUMNS' default). */
export const MAX_PLANNED_COLUMNS = 1_000;

/** What {@link runPlanned} needs. */
export interface PlannedProcessorOptions {
  readonly queue: QueueName;
  /** The compiled processor file whose default export runs the job on a thread. */
  readonly file: string;
  /** The heap the job's thread is planned to need. */
  readonly plan: (job: Job) => Promise<HeapPlan>;
  readonly threads: JobThreads;
  /** The most heap a thread may have (`WORKER_THREAD_HEAP_MAX_MB`). */
  readonly heapMaxMb: number;
  readonly db: Kysely<Database>;
  readonly logger: Logger;
}

/**
 * A queue processor that runs each job on a thread of `threads` with the heap its plan gives.
 * A thread that runs out of memory fails nothing else: the job runs once more with the largest
 * heap allowed (when its plan was below it); a second death fails the job without retries (a
 * retry would die the same way), after leaving its sample FAILED with SAMPLE_TOO_WIDE, or its
 * dataset's report marked REPORT_TOO_LARGE, with the figures (see `settleTooLarge`). Any other
 * error a thread reports is rethrown as it was (an `UnrecoverableError` stays one, so BullMQ does
 * not retry it).
 */
export function runPlanned(options: PlannedProcessorOptions): (job: Job, token?: string, signal?: AbortSignal) => Promise<unknown> {
  const { queue, file, threads, heapMaxMb, db } = options;
  return async (job, _token, signal) => {
    const plan = await options.plan(job);
    const logger = childLogger(options.logger, { queue, jobId: job.id, ...jobSubject(job) });
    const heaps = plan.heapMb < heapMaxMb ? [plan.heapMb, heapMaxMb] : [plan.heapMb];
    for (let attempt = 0; ; attempt++) {
      const heapMb = heaps[attempt];
      try {
        const result = await threads.run(file, { id: job.id ?? '', data: job.data, attemptsMade: job.attemptsMade, opts: job.opts }, heapMb, signal);
        logger.debug('job done', { heapMb: result.heapMb, limitMb: heapMb });
        return result.value;
      } catch (error) {
        if (!(error instanceof ThreadDiedError) || !error.outOfMemory) throw error;
        if (attempt + 1 < heaps.length) {
          logger.warn('a job ran out of its planned memory; running it again with the largest heap allowed', {
            heapMb,
            nextHeapMb: heaps[attempt + 1],
            columns: plan.columns,
            ...(plan.blockBytes !== undefined ? { blockBytes: plan.blockBytes } : {}),
          });
          continue;
        }
        const message = tooLargeMessage(queue, job, plan, heapMb, heapMaxMb);
        logger.warn('a job ran out of memory; it fails without retries', { heapMb, columns: plan.columns, error: message });
        return settleTooLarge(db, queue, job, message);
      }
    }
  };
}

function jobSubject(job: Job): Record<string, string | number> {
  const { sampleId, blockIndex, datasetId } = job.data as { sampleId?: unknown; blockIndex?: unknown; datasetId?: unknown };
  return {
    ...(typeof sampleId === 'string' ? { sampleId } : {}),
    ...(typeof blockIndex === 'number' ? { blockIndex } : {}),
    ...(typeof datasetId === 'string' ? { datasetId } : {}),
  };
}

function tooLargeMessage(queue: QueueName, job: Job, plan: HeapPlan, heapMb: number, heapMaxMb: number): string {
  const columns = `${plan.columns.toLocaleString('en-US')} columns`;
  const what =
    queue === PROFILE_BLOCK_QUEUE
      ? `profiling block ${(job.data as { blockIndex?: number }).blockIndex ?? '?'} (${formatBytes(plan.blockBytes ?? 0)}, ${columns})`
      : queue === COMPUTE_REPORT_QUEUE
        ? `comparing samples of ${columns}`
        : `merging the profile of ${columns}`;
  const raise = heapMb < heapMaxMb ? '' : ` (WORKER_THREAD_HEAP_MAX_MB = ${heapMaxMb})`;
  return (
    `${what} needed more than the ${heapMb.toLocaleString('en-US')} MiB of memory a worker thread may use${raise}. ` +
    'Upload fewer columns per sample (split the file by columns), or ask the operator to raise WORKER_THREAD_HEAP_MAX_MB'
  );
}

/**
 * Records why the job failed where its users look. A report records REPORT_TOO_LARGE on its
 * dataset and fails without retries; a profiling job's sample fails as any bad input does
 * (`settleProfilingError`): FAILED with SAMPLE_TOO_WIDE and no retries, or, for an early block of
 * an upload still arriving, deferred to the flow that follows the upload, which meets the same limit.
 */
async function settleTooLarge(db: Kysely<Database>, queue: QueueName, job: Job, message: string): Promise<unknown> {
  const { sampleId, datasetId } = job.data as { sampleId?: unknown; datasetId?: unknown };
  if (queue === COMPUTE_REPORT_QUEUE) {
    if (typeof datasetId === 'string') await recordReportFailure(db, datasetId, { code: 'REPORT_TOO_LARGE', message, sampleId: null });
    throw new UnrecoverableError(message);
  }
  if (typeof sampleId !== 'string') throw new UnrecoverableError(message);
  const status = await findSampleStatus(db, sampleId);
  if (status === undefined) return { skipped: 'the sample no longer exists' };
  return settleProfilingError(db, job, { id: sampleId, status }, 'the sample', new BadInputError('SAMPLE_TOO_WIDE', message));
}
