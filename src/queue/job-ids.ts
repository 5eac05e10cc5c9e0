/**
 * Job ids derive from the ids of the rows they work on, so that adding the same work twice (a
 * retried upload hook, the reconciler, a flow added while an early block job is still queued)
 * names the same job and BullMQ keeps one. BullMQ refuses ids that contain `:` or are integers;
 * UUIDs and these prefixes never are.
 */

/** Id of the `profile-block` job of one block of a sample. */
export function profileBlockJobId(sampleId: string, blockIndex: number): string {
  return `block-${sampleId}-${blockIndex}`;
}

/** Id of the `merge-profile` job of a sample. */
export function mergeProfileJobId(sampleId: string): string {
  return `merge-${sampleId}`;
}

/** Id of the `compute-report` job that follows the profile of a sample. */
export function computeReportJobId(sampleId: string): string {
  return `report-${sampleId}`;
}

/**
 * Id of the `compute-report` job that answers a request for a new report of a dataset (a sample
 * deactivated, reactivated or deleted), one per request: the API and the reconciler name the same job.
 */
export function requestedReportJobId(datasetId: string, requestedAt: Date): string {
  return `report-dataset-${datasetId}-${requestedAt.getTime()}`;
}

/** Id of the job scheduler that repeats `apply-retention`. */
export const RETENTION_SCHEDULER_ID = 'apply-retention';
