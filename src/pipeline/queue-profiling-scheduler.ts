import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { ProfilingScheduler } from '../ingest/profiling-scheduler.js';
import type { Logger } from '../platform/logger.js';
import { jobOptions } from '../queue/job-options.js';
import type { JobsConfig } from '../platform/config.js';
import { addEarlyBlockJob, addProfileFlow, addRequestedReportJob } from './profile-flow.js';
import type { QueueBackend } from '../queue/queue-backend.js';
import { listStoredBlockIndexes } from '../db/block-states.js';
import { findSampleForProfiling, hasDialect, recordBlockProgress } from '../db/profiling-samples.js';
import { withTimeout } from '../queue/with-timeout.js';

/** Options of {@link createQueueProfilingScheduler}. */
export interface QueueProfilingSchedulerOptions {
  readonly backend: QueueBackend;
  readonly db: Kysely<Database>;
  readonly jobs: JobsConfig;
  readonly logger: Logger;
  /** How long an upload waits for the queue before it goes on without it (default 5 s). */
  readonly enqueueTimeoutMs?: number;
}

/**
 * The {@link ProfilingScheduler} the API uses when workers exist: each stored block is queued
 * at once as a `profile-block` job (workers profile early blocks while the upload goes on) as
 * soon as the sample's CSV dialect is recorded (the upload records it before its first block),
 * and the completed upload adds the sample's flow, which adopts those jobs once they finished
 * (see `addProfileFlow`; the upload's answer may wait for a running block job, at most the
 * enqueue timeout).
 *
 * The queue never fails an upload: an early job that cannot be queued is left to the flow, and a
 * flow that cannot be added leaves the sample RECEIVED or PROFILING, where the workers'
 * reconciler finds it. Both calls are idempotent (job ids derive from the sample and block).
 */
export function createQueueProfilingScheduler(options: QueueProfilingSchedulerOptions): ProfilingScheduler {
  const { backend, db, logger } = options;
  const timeoutMs = options.enqueueTimeoutMs ?? 5_000;
  const opts = jobOptions(options.jobs);
  return {
    async onBlockStored(sampleId, blockIndex) {
      try {
        // Without the dialect a block cannot be parsed; the flow added at completion covers it.
        if (!(await hasDialect(db, sampleId))) return;
        await withTimeout(addEarlyBlockJob(backend, sampleId, blockIndex, opts), timeoutMs, `queueing block ${blockIndex}`);
      } catch (error) {
        logger.warn('could not queue a block early; it is profiled when the upload completes', {
          sampleId,
          blockIndex,
          queue: backend.location,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
    async onUploadComplete(sampleId) {
      const sample = await findSampleForProfiling(db, sampleId);
      // PROFILING too: an early block job that finishes once the upload recorded RECEIVED moves the
      // sample on before this hook runs, and the sample still needs its flow (nothing else adds it).
      if (!sample || (sample.status !== 'RECEIVED' && sample.status !== 'PROFILING') || sample.blocksTotal === null) return;
      await withTimeout(
        addProfileFlow(
          backend,
          { id: sample.id, datasetId: sample.datasetId, blocksTotal: sample.blocksTotal },
          opts,
          async () => new Set(await listStoredBlockIndexes(db, sampleId)),
          { runningWaitMs: timeoutMs },
        ),
        timeoutMs * 2,
        'queueing the profile flow',
      );
      // Blocks profiled while the upload was arriving count at once, and the sample shows PROFILING.
      await recordBlockProgress(db, sampleId);
    },
    async onReportRequested(datasetId, sampleId, requestedAt) {
      await withTimeout(addRequestedReportJob(backend, datasetId, sampleId, requestedAt, opts), timeoutMs, 'queueing the report');
    },
    async close() {
      // The backend belongs to whoever opened it.
    },
  };
}
