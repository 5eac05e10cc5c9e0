import type { Kysely } from 'kysely';
import { deleteBlockStatesOfFailedSamples, listStoredBlockIndexes } from '../db/block-states.js';
import type { Database } from '../db/database.js';
import { listPendingReportRequests } from '../db/dataset-reports.js';
import { listIdleProfilingSamples } from '../db/profiling-samples.js';
import { listDatasetsDueForReport } from '../db/reality-reports.js';
import { failSample, findAnySampleOfDataset } from '../db/samples.js';
import type { Logger } from '../platform/logger.js';
import { computeReportJobId, mergeProfileJobId, profileBlockJobId, requestedReportJobId, RETENTION_SCHEDULER_ID } from '../queue/job-ids.js';
import { jobOptions } from '../queue/job-options.js';
import type { ComputeReportPayload } from '../queue/job-payloads.js';
import type { JobsConfig } from '../platform/config.js';
import { addProfileFlow, addRequestedReportJob } from './profile-flow.js';
import type { QueueBackend } from '../queue/queue-backend.js';
import { APPLY_RETENTION_QUEUE, COMPUTE_REPORT_QUEUE, MERGE_PROFILE_QUEUE, PROFILE_BLOCK_QUEUE } from '../queue/queue-names.js';

/** What one {@link reconcile} pass did. */
export interface ReconcileOutcome {
  /** Samples whose flow was missing from the queue and was added again. */
  readonly requeued: readonly string[];
  /** Samples whose flow had failed for good and that are now FAILED. */
  readonly failed: readonly string[];
  /** Block jobs that waiting flows still awaited although they had finished (failed, or completed unheard), retried. */
  readonly retriedBlocks: number;
  /** Datasets whose report job was missing and was added again. */
  readonly reports: readonly string[];
}

/** Samples looked at per pass; more are handled by the next pass. */
const BATCH = 200;

/**
 * Compares what Postgres says is in progress with what the queue holds, and repairs the
 * difference. Postgres is the record; the queue may lose work — a Redis restarted without
 * persistence, a failover that drops the latest writes, a flow that could not be added because
 * the queue was down during an upload. Every repair re-adds jobs under their deterministic ids
 * and every processor is idempotent, so a pass that races with normal work, or with the pass of
 * another worker process, changes nothing.
 *
 * Only samples with no progress for `reconcileGraceMs` are considered:
 * - RECEIVED or PROFILING with no merge job in the queue: the flow is added again (blocks whose
 *   state is stored are not profiled again);
 * - whose merge job failed for good: the sample becomes FAILED with the job's reason;
 * - whose merge job waits on a block job that failed before the flow adopted it, or that completed
 *   without the merge hearing of it (a running early job adopted by the flow, see `addProfileFlow`):
 *   that job is retried.
 * Profiled samples newer than their dataset's latest report get their `compute-report` job back,
 * so do requests for a new report (a sample deactivated, reactivated or deleted) still pending,
 * and the repeatable retention job is (re)registered.
 */
export async function reconcile(options: {
  backend: QueueBackend;
  db: Kysely<Database>;
  jobs: JobsConfig;
  logger: Logger;
}): Promise<ReconcileOutcome> {
  const { backend, db, jobs, logger } = options;
  const opts = jobOptions(jobs);
  const cutoff = new Date(Date.now() - jobs.reconcileGraceMs);
  const outcome = { requeued: [] as string[], failed: [] as string[], retriedBlocks: 0, reports: [] as string[] };

  const stale = await listIdleProfilingSamples(db, cutoff, BATCH);
  const merges = backend.queue(MERGE_PROFILE_QUEUE);
  const blocks = backend.queue(PROFILE_BLOCK_QUEUE);
  for (const sample of stale) {
    const state = await merges.getJobState(mergeProfileJobId(sample.id));
    if (state === 'unknown') {
      await addProfileFlow(
        backend,
        { id: sample.id, datasetId: sample.dataset_id, blocksTotal: sample.blocks_total ?? 0 },
        opts,
        async () => new Set(await listStoredBlockIndexes(db, sample.id)),
      );
      outcome.requeued.push(sample.id);
    } else if (state === 'failed') {
      const job = await merges.getJob(mergeProfileJobId(sample.id));
      const reason = job?.failedReason || 'profiling failed';
      if (await failSample(db, sample.id, { stage: 'profiling', code: 'PROFILING_FAILED', message: `profiling failed: ${reason}` })) {
        outcome.failed.push(sample.id);
      }
    } else if (state === 'waiting-children') {
      const merge = await merges.getJob(mergeProfileJobId(sample.id));
      const awaited = (await merge?.getDependencies())?.unprocessed ?? [];
      for (let i = 0; i < (sample.blocks_total ?? 0); i++) {
        const id = profileBlockJobId(sample.id, i);
        const blockState = await blocks.getJobState(id);
        if (blockState === 'failed') {
          await (await blocks.getJob(id))?.retry('failed');
          outcome.retriedBlocks++;
        } else if (blockState === 'completed' && awaited.some((key) => key.endsWith(`:${id}`))) {
          // Completed while the flow adopted it, without the merge hearing of it (see `addProfileFlow`):
          // run again, it finds its state stored and completes at once, this time as the merge's child.
          await (await blocks.getJob(id))?.retry('completed');
          outcome.retriedBlocks++;
        }
      }
    }
  }

  const unreported = await listDatasetsDueForReport(db, cutoff, BATCH);
  const reports = backend.queue(COMPUTE_REPORT_QUEUE);
  for (const row of unreported) {
    const id = computeReportJobId(row.sample_id);
    if ((await reports.getJobState(id)) !== 'unknown') continue;
    await reports.add(COMPUTE_REPORT_QUEUE, { datasetId: row.dataset_id, sampleId: row.sample_id } satisfies ComputeReportPayload, {
      ...opts,
      jobId: id,
    });
    outcome.reports.push(row.dataset_id);
  }

  // Requests for a new report (a sample deactivated, reactivated or deleted) whose job is gone.
  const requested = await listPendingReportRequests(db, cutoff, BATCH);
  for (const row of requested) {
    const requestedAt = row.report_requested_at as Date;
    if ((await reports.getJobState(requestedReportJobId(row.id, requestedAt))) !== 'unknown') continue;
    const anySample = await findAnySampleOfDataset(db, row.id);
    // The payload names the sample that changed; any sample of the dataset (or the dataset itself, once it has none) does.
    await addRequestedReportJob(backend, row.id, anySample ?? row.id, requestedAt, opts);
    outcome.reports.push(row.id);
  }

  // Partial states of samples that failed (an upload that broke off while early blocks were profiled).
  await deleteBlockStatesOfFailedSamples(db);

  await scheduleRetention(backend, jobs);
  if (outcome.requeued.length + outcome.failed.length + outcome.retriedBlocks + outcome.reports.length > 0) {
    logger.info('reconciled the queue with the database', {
      requeued: outcome.requeued.length,
      failed: outcome.failed.length,
      retriedBlocks: outcome.retriedBlocks,
      reports: outcome.reports.length,
    });
  }
  return outcome;
}

/** Registers (or updates) the repeatable `apply-retention` job; idempotent. */
export async function scheduleRetention(backend: QueueBackend, jobs: Pick<JobsConfig, 'retentionIntervalMs'>): Promise<void> {
  await backend
    .queue(APPLY_RETENTION_QUEUE)
    .upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: jobs.retentionIntervalMs }, { name: APPLY_RETENTION_QUEUE, data: {} });
}
