import type { JobsOptions, WorkerOptions } from 'bullmq';
import type { JobsConfig } from '../platform/config.js';

/** Finished jobs are kept this long for inspection (and so that a re-added block job finds its result). */
const KEEP_COMPLETED_SECONDS = 24 * 60 * 60;
const KEEP_FAILED_SECONDS = 7 * 24 * 60 * 60;

/**
 * Options of every job realitycheck adds: retried on transient faults with exponential backoff
 * and jitter, kept a while once finished. A job that fails for good fails its parent
 * (`failParentOnFailure`), so a sample's flow never waits for a child that will not come.
 */
export function jobOptions(config: Pick<JobsConfig, 'attempts' | 'backoffMs' | 'backoffJitter'>): JobsOptions {
  return {
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.backoffMs, jitter: config.backoffJitter },
    removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
    removeOnFail: { age: KEEP_FAILED_SECONDS },
    failParentOnFailure: true,
  };
}

/** Lock and stalled-job settings shared by every worker. */
export function workerLockOptions(
  config: Pick<JobsConfig, 'lockDurationMs' | 'stalledIntervalMs' | 'maxStalledCount'>,
): Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> {
  return {
    lockDuration: config.lockDurationMs,
    stalledInterval: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
  };
}
