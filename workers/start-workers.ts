import type { Job } from 'bullmq';
import type { Kysely } from 'kysely';
import { hostname } from 'node:os';
import type { Database } from '../src/db/database.js';
import { workerLockOptions } from '../src/queue/job-options.js';
import type { JobsConfig } from '../src/platform/config.js';
import type { AnyWorker, QueueBackend } from '../src/queue/queue-backend.js';
import {
  APPLY_RETENTION_QUEUE,
  COMPUTE_REPORT_QUEUE,
  MERGE_PROFILE_QUEUE,
  PROFILE_BLOCK_QUEUE,
  type QueueName,
} from '../src/queue/queue-names.js';
import { reconcile, scheduleRetention, type ReconcileOutcome } from '../src/pipeline/reconciler.js';
import { recordReportFailure } from '../src/db/dataset-reports.js';
import { failSample } from '../src/db/samples.js';
import { childLogger, type Logger } from '../src/platform/logger.js';
import type { Metrics } from '../src/platform/metrics.js';
import { createApplyRetentionProcessor } from './processors/apply-retention.js';
import type { ProcessorThreadData } from './processors/thread-database.js';
import { blockJobPlan, mergeJobPlan, reportJobPlan, type HeapPlan } from '../src/pipeline/memory-plan.js';
import { findDatasetColumns, findProfilingSize } from '../src/db/samples.js';
import { JobThreads } from './job-threads.js';
import { MAX_PLANNED_COLUMNS, runPlanned } from './planned-processor.js';
import { processorFile, type ThreadProcessorName } from './processor-files.js';

/** What {@link startWorkers} needs. */
export interface StartWorkersOptions {
  readonly backend: QueueBackend;
  /** The application database (main thread: retention, failure handling, reconciliation). */
  readonly db: Kysely<Database>;
  /** Passed to the processor threads, which open their own connection. */
  readonly databaseUrl: string;
  readonly jobs: JobsConfig;
  readonly logger: Logger;
  /** Worker name stored on the jobs it runs (`processedBy`); default `<host>:<pid>`. */
  readonly name?: string;
  /** Run the periodic reconciliation (default true). */
  readonly reconcile?: boolean;
  /** Where job durations, failures and profiled rows and bytes are counted. */
  readonly metrics?: Metrics;
}

/** Workers started by {@link startWorkers}. */
export interface RunningWorkers {
  readonly workers: ReadonlyMap<QueueName, AnyWorker>;
  /** Runs one reconciliation pass now (see `reconcile`). */
  reconcileNow(): Promise<ReconcileOutcome>;
  /**
   * Stops taking jobs and lets the running ones finish; those still running after `timeoutMs`
   * are handed back to the queue (moved to waiting, without using an attempt) for another worker.
   * Resolves once every worker is closed, or shortly after the hand-back.
   */
  close(timeoutMs?: number): Promise<void>;
}

/** Once jobs are handed back, how long closing still waits for the threads that ran them. */
const AFTER_HAND_BACK_MS = 2_000;

/**
 * Starts one worker per queue in this process:
 *
 * - `profile-block`, `merge-profile` and `compute-report` run their processors on worker threads
 *   (see `JobThreads`), so the main thread stays free to renew job locks while a block is
 *   profiled; `profile-block` runs `jobs.concurrency` jobs at once, the others one. Each job's
 *   thread gets a heap limit planned from what the job holds (see `memory-plan.ts`); a job whose
 *   thread runs out of memory runs once more with the largest heap allowed, then fails without
 *   retries — its sample FAILED with SAMPLE_TOO_WIDE, or its dataset's `reportError` set — and the
 *   process goes on;
 * - `apply-retention` runs on the main thread (database work only) and is registered as a
 *   repeatable job;
 * - a job that fails for good leaves its sample FAILED with the reason (processors do this
 *   themselves for bad input; this covers retries exhausted and jobs that kept stalling);
 * - every `reconcileIntervalMs` the queue is reconciled with the database (see `reconcile`).
 */
export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  const { backend, db, jobs, logger } = options;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const threadData: ProcessorThreadData = { databaseUrl: options.databaseUrl };
  const common = { ...workerLockOptions(jobs), name, autorun: false } as const;
  const heapMaxMb = jobs.threadHeapMaxMb;
  // Bounded heaps make V8 collect before it grows: without them a thread sizes its heap from the
  // machine's memory and keeps garbage of past jobs resident. A small young generation costs a few
  // percent of profiling time and saves about 25 MiB per thread (measured on 8 MiB blocks).
  const threads = new JobThreads({ workerData: threadData, youngGenerationMb: 4, keepIdle: jobs.concurrency + 2 });
  const planned = (queue: QueueName, plan: (job: Job) => Promise<HeapPlan>) =>
    runPlanned({ queue, file: processorFile(queue as ThreadProcessorName), plan, threads, heapMaxMb, db, logger });

  const workers = new Map<QueueName, AnyWorker>([
    [
      PROFILE_BLOCK_QUEUE,
      backend.createWorker(
        PROFILE_BLOCK_QUEUE,
        planned(PROFILE_BLOCK_QUEUE, async (job) => {
          const { sampleId, blockIndex } = job.data as { sampleId: string; blockIndex: number };
          const size = await findProfilingSize(db, sampleId, blockIndex);
          // Before the dialect is known (an early block), plan for the widest header allowed.
          return blockJobPlan(size?.blockBytes ?? 0, size?.columns ?? MAX_PLANNED_COLUMNS, heapMaxMb);
        }),
        { ...common, concurrency: jobs.concurrency },
      ),
    ],
    [
      MERGE_PROFILE_QUEUE,
      backend.createWorker(
        MERGE_PROFILE_QUEUE,
        planned(MERGE_PROFILE_QUEUE, async (job) => {
          const size = await findProfilingSize(db, (job.data as { sampleId: string }).sampleId);
          return mergeJobPlan(size?.columns ?? MAX_PLANNED_COLUMNS, heapMaxMb);
        }),
        { ...common, concurrency: 1 },
      ),
    ],
    [
      COMPUTE_REPORT_QUEUE,
      backend.createWorker(
        COMPUTE_REPORT_QUEUE,
        planned(COMPUTE_REPORT_QUEUE, async (job) =>
          reportJobPlan((await findDatasetColumns(db, (job.data as { datasetId: string }).datasetId)) ?? MAX_PLANNED_COLUMNS, heapMaxMb),
        ),
        { ...common, concurrency: 1 },
      ),
    ],
    [APPLY_RETENTION_QUEUE, backend.createWorker(APPLY_RETENTION_QUEUE, createApplyRetentionProcessor(db, logger), { ...common, concurrency: 1 })],
  ]);

  const { metrics } = options;
  const active = new Map<string, Job>();
  for (const [queue, worker] of workers) {
    worker.on('active', (job: Job) => active.set(`${queue}:${job.id}`, job));
    worker.on('completed', (job: Job, result: unknown) => {
      active.delete(`${queue}:${job.id}`);
      if (!metrics) return;
      if (job.processedOn && job.finishedOn) metrics.jobDuration.observe({ queue, outcome: 'completed' }, (job.finishedOn - job.processedOn) / 1000);
      if (queue === PROFILE_BLOCK_QUEUE && typeof result === 'object' && result !== null) {
        const { rows, bytes } = result as { rows?: unknown; bytes?: unknown };
        if (typeof rows === 'number' && rows > 0) metrics.rowsProfiled.inc(rows);
        if (typeof bytes === 'number' && bytes > 0) metrics.bytesProfiled.inc(bytes);
      }
    });
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (!job) return;
      active.delete(`${queue}:${job.id}`);
      const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (metrics) {
        if (job.processedOn) metrics.jobDuration.observe({ queue, outcome: 'failed' }, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
        metrics.jobFailures.inc({ queue, final: String(final) });
      }
      const { sampleId, blockIndex } = job.data as { sampleId?: unknown; blockIndex?: unknown };
      // The sample and block a failure is about, so that a crash (a thread out of memory) names them.
      const jobLogger = childLogger(logger, {
        queue,
        jobId: job.id,
        ...(typeof sampleId === 'string' ? { sampleId } : {}),
        ...(typeof blockIndex === 'number' ? { blockIndex } : {}),
      });
      const context = { attempt: job.attemptsMade, final, error: error.message, errorCode: (error as { code?: unknown }).code };
      if (!final) {
        jobLogger.warn('job failed; it will be retried', context);
        return;
      }
      // Bad input is the uploader's to fix (the sample says why); exhausted retries are the operator's.
      (error.name === 'UnrecoverableError' ? jobLogger.warn : jobLogger.error)('job failed for good', context);
      if (queue === COMPUTE_REPORT_QUEUE && error.name !== 'UnrecoverableError' && !/^child .* failed$/.test(error.message)) {
        // Retries exhausted on a transient fault (the processor records bad input itself; a failed
        // child is its sample's failure, recorded on the sample): the dataset says its report is out of date.
        const datasetId = (job.data as { datasetId?: unknown }).datasetId;
        if (typeof datasetId === 'string') {
          recordReportFailure(db, datasetId, {
            code: 'REPORT_FAILED',
            message: `computing the report failed ${job.attemptsMade} times (last error: ${error.message}); it is tried again when a sample of the dataset changes, or ask the operator to check the workers`,
            sampleId: null,
          }).catch((e: unknown) => jobLogger.error('could not record a failed report', { datasetId, error: e }));
        }
      }
      if (queue === PROFILE_BLOCK_QUEUE || queue === MERGE_PROFILE_QUEUE) {
        if (typeof sampleId === 'string') {
          failSample(db, sampleId, { stage: 'profiling', code: 'PROFILING_FAILED', message: `profiling failed: ${error.message}` }).catch((e: unknown) =>
            jobLogger.error('could not record a failed profile; the reconciler will retry', { error: e }),
          );
        }
      }
    });
    let lastError = { message: '', at: 0 };
    worker.on('error', (error: Error) => {
      // While Redis or Postgres is down every poll fails the same way: log it once per 30 s.
      if (error.message === lastError.message && Date.now() - lastError.at < 30_000) return;
      lastError = { message: error.message, at: Date.now() };
      logger.error('worker error', { queue, error: error.message });
    });
  }

  await scheduleRetention(backend, jobs);
  for (const worker of workers.values()) {
    worker.run().catch((error: unknown) => logger.error('worker stopped unexpectedly', { queue: worker.name, error }));
  }
  await Promise.all([...workers.values()].map((worker) => worker.waitUntilReady()));
  logger.info('workers started', { name, queue: backend.location, concurrency: jobs.concurrency });

  let reconciling: Promise<ReconcileOutcome> | undefined;
  const reconcileNow = (): Promise<ReconcileOutcome> => {
    reconciling ??= reconcile({ backend, db, jobs, logger }).finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  };
  const timer =
    options.reconcile === false
      ? undefined
      : setInterval(() => {
          reconcileNow().catch((error: unknown) =>
            logger.warn('reconciliation failed; it runs again later', { error: error instanceof Error ? error.message : String(error) }),
          );
        }, jobs.reconcileIntervalMs);
  timer?.unref();

  let closing: Promise<void> | undefined;
  const close = (timeoutMs = jobs.shutdownTimeoutMs): Promise<void> => {
    closing ??= (async () => {
      if (timer) clearInterval(timer);
      const closed = Promise.allSettled([...workers.values()].map((worker) => worker.close()));
      if (await finishesWithin(closed, timeoutMs)) return;
      logger.warn('jobs still running at the shutdown deadline are handed back to the queue', { jobs: active.size });
      await Promise.allSettled(
        [...active.values()].map((job) => (job.token ? job.moveToWait(job.token) : Promise.resolve(0))),
      );
      for (const worker of workers.values()) worker.cancelAllJobs('worker shutting down');
      await finishesWithin(closed, AFTER_HAND_BACK_MS);
    })().finally(() => threads.close());
    return closing;
  };

  return { workers, reconcileNow, close };
}

async function finishesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
