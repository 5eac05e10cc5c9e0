import type { FlowJob, JobsOptions } from 'bullmq';
import { computeReportJobId, mergeProfileJobId, profileBlockJobId } from './job-ids.js';
import type { ComputeReportPayload, MergeProfilePayload, ProfileBlockPayload } from './job-payloads.js';
import type { QueueBackend } from './queue-backend.js';
import { COMPUTE_REPORT_QUEUE, MERGE_PROFILE_QUEUE, PROFILE_BLOCK_QUEUE } from './queue-names.js';

/** The sample a flow is built for. */
export interface FlowSample {
  readonly id: string;
  readonly datasetId: string;
  /** Blocks stored for the sample (0 for a header-only file). */
  readonly blocksTotal: number;
}

/**
 * The flow of one sample, as a BullMQ tree:
 *
 * ```
 * compute-report  report-<sample>          (runs when its child completes)
 * └─ merge-profile  merge-<sample>          (runs when all its children complete)
 *    ├─ profile-block  block-<sample>-0
 *    ├─ …
 *    └─ profile-block  block-<sample>-<n-1>
 * ```
 *
 * Every job id derives from the sample and block, so the flow can be added again (a retried
 * hook, the reconciler after a Redis restart) without duplicating work: BullMQ keeps existing
 * jobs and attaches them to the flow — a block job added early, while the upload was still
 * arriving, becomes a child as it is (waiting, running or completed). A child that fails for
 * good fails its parent, so a flow never waits forever.
 */
export function buildProfileFlow(sample: FlowSample, options: JobsOptions): FlowJob {
  const blocks: FlowJob[] = [];
  for (let i = 0; i < sample.blocksTotal; i++) {
    blocks.push({
      name: PROFILE_BLOCK_QUEUE,
      queueName: PROFILE_BLOCK_QUEUE,
      data: { sampleId: sample.id, blockIndex: i } satisfies ProfileBlockPayload,
      opts: { ...options, jobId: profileBlockJobId(sample.id, i), failParentOnFailure: true },
    });
  }
  return {
    name: COMPUTE_REPORT_QUEUE,
    queueName: COMPUTE_REPORT_QUEUE,
    data: { datasetId: sample.datasetId, sampleId: sample.id } satisfies ComputeReportPayload,
    opts: { ...options, jobId: computeReportJobId(sample.id) },
    children: [
      {
        name: MERGE_PROFILE_QUEUE,
        queueName: MERGE_PROFILE_QUEUE,
        data: { sampleId: sample.id } satisfies MergeProfilePayload,
        opts: { ...options, jobId: mergeProfileJobId(sample.id), failParentOnFailure: true },
        children: blocks,
      },
    ],
  };
}

/**
 * Adds a `profile-block` job for one block as soon as it is stored, before the upload is
 * complete, so that workers start on early blocks while the rest still arrives. The flow added
 * at completion adopts it (same job id).
 */
export async function addEarlyBlockJob(backend: QueueBackend, sampleId: string, blockIndex: number, options: JobsOptions): Promise<void> {
  await backend
    .queue(PROFILE_BLOCK_QUEUE)
    .add(PROFILE_BLOCK_QUEUE, { sampleId, blockIndex } satisfies ProfileBlockPayload, {
      ...options,
      jobId: profileBlockJobId(sampleId, blockIndex),
      failParentOnFailure: true,
    });
}

/**
 * Adds the flow of a sample (see {@link buildProfileFlow}). Early block jobs the flow would adopt
 * as they are, but that cannot help it, are removed first so that the flow adds them afresh:
 * one that failed for good (it can only do so by stalling repeatedly) would leave the merge
 * waiting forever, and one that completed without storing its block's state (it ran before the
 * upload recorded its dialect, or deferred a problem until the upload completed) would leave
 * that block to the merge, profiled there serially instead of in parallel.
 *
 * @param storedStates blocks of the sample whose state is stored.
 */
export async function addProfileFlow(
  backend: QueueBackend,
  sample: FlowSample,
  options: JobsOptions,
  storedStates: ReadonlySet<number>,
): Promise<void> {
  const blocks = backend.queue(PROFILE_BLOCK_QUEUE);
  for (let start = 0; start < sample.blocksTotal; start += 32) {
    const batch = Array.from({ length: Math.min(32, sample.blocksTotal - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map(async (blockIndex) => {
        const id = profileBlockJobId(sample.id, blockIndex);
        const state = await blocks.getJobState(id);
        if (state === 'failed' || (state === 'completed' && !storedStates.has(blockIndex))) await blocks.remove(id);
      }),
    );
  }
  await backend.flowProducer().add(buildProfileFlow(sample, options));
}
