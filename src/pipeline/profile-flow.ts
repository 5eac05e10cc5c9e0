import type { FlowJob, JobsOptions } from 'bullmq';
import { retryTransientConflicts } from '../db/pg-errors.js';
import { computeReportJobId, mergeProfileJobId, profileBlockJobId, requestedReportJobId } from '../queue/job-ids.js';
import type { ComputeReportPayload, MergeProfilePayload, ProfileBlockPayload } from '../queue/job-payloads.js';
import type { AnyQueue, QueueBackend } from '../queue/queue-backend.js';
import { COMPUTE_REPORT_QUEUE, MERGE_PROFILE_QUEUE, PROFILE_BLOCK_QUEUE } from '../queue/queue-names.js';

/*
 * Early block profiling: the race and its remedy, in one place.
 *
 * Workers profile a sample's blocks while its upload is still arriving. As soon as the upload
 * recorded the sample's CSV dialect, `queue-profiling-scheduler` adds one parentless
 * `profile-block` job per stored block ({@link addEarlyBlockJob}), while the sample is still
 * RECEIVING. The flow that will merge those blocks (compute-report → merge-profile → blocks, see
 * {@link buildProfileFlow}) cannot exist yet: the number of blocks is known only when the upload
 * completes. So, when the flow is added, each early job may be in any state: not yet taken,
 * running, completed (with or without its block's state stored) or failed; and BullMQ's PostgreSQL
 * backend does not adopt a running job atomically into a new flow (a job completing in between
 * notifies no parent, and the merge waits for it forever).
 *
 * The remedy, by step:
 * - while RECEIVING, a block job that meets a problem does not fail the sample: it completes with
 *   `{ deferred }` (`settleProfilingError`, and the out-of-memory path of the planned processor),
 *   leaving the block without a stored state;
 * - at completion, {@link addProfileFlow} removes early jobs no worker has taken (the flow adds
 *   them again as its own children), polls running ones until they finish (at most
 *   `runningWaitMs`), then removes those that failed or completed without storing their block's
 *   state, and adopts the rest, finished, under the same deterministic job ids;
 * - a block job run again finds its state stored and completes at once (`profileStoredBlock`);
 *   the merge profiles any block still missing a state itself;
 * - a running job adopted after the deadline may complete without the merge hearing of it: the
 *   reconciler (`reconcile`) finds the merge waiting on a completed child and retries that child,
 *   which completes at once, this time as the merge's child; a child that failed is retried too,
 *   and a sample whose flow could not be added at all (RECEIVED or PROFILING with no merge job)
 *   gets it added again;
 * - an upload that fails instead (`failSample`) deletes the blocks and states early jobs wrote, and
 *   the reconciler drops any state written after that (`deleteBlockStatesOfFailedSamples`).
 */

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
 * arriving, becomes a child with its result (see {@link addProfileFlow} for which early jobs it
 * is given). A child that fails for good fails its parent, so a flow never waits forever.
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
 * at completion adopts it (same job id) once it finished, or adds it afresh (see {@link addProfileFlow}).
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
 * Adds the `compute-report` job that answers a request for a new report of a dataset (see
 * `requestReport`), on its own: no profile precedes it. Named after the request, so the API and
 * the reconciler add one job per request.
 */
export async function addRequestedReportJob(
  backend: QueueBackend,
  datasetId: string,
  sampleId: string,
  requestedAt: Date,
  options: JobsOptions,
): Promise<void> {
  await backend
    .queue(COMPUTE_REPORT_QUEUE)
    .add(COMPUTE_REPORT_QUEUE, { datasetId, sampleId } satisfies ComputeReportPayload, {
      ...options,
      jobId: requestedReportJobId(datasetId, requestedAt),
      failParentOnFailure: false,
    });
}

/** How {@link addProfileFlow} treats early block jobs that are still running. */
export interface AddProfileFlowOptions {
  /** How long to wait for running early block jobs to finish before the flow adopts them as they are (default 5 s). */
  readonly runningWaitMs?: number;
  /** How often their state is read while waiting (default 20 ms). */
  readonly pollMs?: number;
}

/** Job states of a job that no worker has taken yet. */
const NOT_STARTED: ReadonlySet<string> = new Set(['waiting', 'delayed', 'prioritized']);

/**
 * Adds the flow of a sample (see {@link buildProfileFlow}) so that it adopts only early block
 * jobs that have finished:
 *
 * - an early job no worker has taken yet is removed, and the flow adds it again as its own child;
 * - an early job that is running is waited for (at most `runningWaitMs`). BullMQ's PostgreSQL
 *   backend (6.7) does not adopt a running job atomically: `add_flow` reads the job's state
 *   without locking it, counts it as a pending child, and only then points it at its parent; a
 *   job that completes in between finds no parent to notify, so the merge would wait for it
 *   forever. A finished job cannot change under the flow, so adopting it is safe on both backends
 *   (a running job adopted after the deadline is released by the reconciler, see `reconcile`);
 * - a finished early job that cannot help the flow is removed so that the flow adds it afresh:
 *   one that failed for good (it can only do so by stalling repeatedly) would leave the merge
 *   waiting forever, and one that completed without storing its block's state (it deferred a
 *   problem until the upload completed) would leave that block to the merge, profiled there
 *   serially instead of in parallel.
 *
 * Jobs already attached to the flow (the flow added again) are adopted as they are.
 *
 * @param listStoredStates the blocks of the sample whose state is stored, read once the running
 *   early jobs finished.
 */
export async function addProfileFlow(
  backend: QueueBackend,
  sample: FlowSample,
  options: JobsOptions,
  listStoredStates: () => Promise<ReadonlySet<number>>,
  settle: AddProfileFlowOptions = {},
): Promise<void> {
  const blocks = backend.queue(PROFILE_BLOCK_QUEUE);
  const ids = Array.from({ length: sample.blocksTotal }, (_, i) => profileBlockJobId(sample.id, i));

  const running = (await inBatches(ids, async (id) => ((await detachUnfinishedEarlyJob(blocks, id)) ? id : undefined))).filter(
    (id): id is string => id !== undefined,
  );
  await waitWhileActive(blocks, running, Date.now() + (settle.runningWaitMs ?? 5_000), settle.pollMs ?? 20);

  const stored = await listStoredStates();
  await inBatches(ids, async (id, blockIndex) => {
    const state = await blocks.getJobState(id);
    if (state === 'failed' || (state === 'completed' && !stored.has(blockIndex))) await blocks.remove(id);
  });
  // On the PostgreSQL backend, adding a flow can deadlock with a worker moving one of its jobs;
  // Postgres then rolls the addition back, and it is simply made again.
  await retryTransientConflicts(() => backend.flowProducer().add(buildProfileFlow(sample, options)));
}

/**
 * Removes an early block job (one without a parent) that no worker has taken yet.
 *
 * @returns whether the job is running (it was running, or a worker took it before it could be removed).
 */
async function detachUnfinishedEarlyJob(blocks: AnyQueue, id: string): Promise<boolean> {
  const job = await blocks.getJob(id);
  if (!job || job.parentKey) return false;
  const state = await blocks.getJobState(id);
  if (state === 'active') return true;
  if (!NOT_STARTED.has(state)) return false;
  // Removal does nothing (0) to a job a worker has locked meanwhile.
  if ((await blocks.remove(id)) === 1) return false;
  return (await blocks.getJobState(id)) === 'active';
}

/** Polls the jobs until none of them is active, or until `deadline` (epoch ms). */
async function waitWhileActive(blocks: AnyQueue, ids: readonly string[], deadline: number, pollMs: number): Promise<void> {
  let active = ids;
  while (active.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const states = await Promise.all(active.map((id) => blocks.getJobState(id)));
    active = active.filter((_, k) => states[k] === 'active');
  }
}

/** Runs `task` over `items`, 32 at a time, and returns the results in order. */
async function inBatches<T, R>(items: readonly T[], task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += 32) {
    results.push(...(await Promise.all(items.slice(start, start + 32).map((item, k) => task(item, start + k)))));
  }
  return results;
}
