/** Queue of `profile-block` jobs: one row-aligned block of one sample each. */
export const PROFILE_BLOCK_QUEUE = 'profile-block';
/** Queue of `merge-profile` jobs: the parent of a sample's block jobs; merges and stores the profile. */
export const MERGE_PROFILE_QUEUE = 'merge-profile';
/** Queue of `compute-report` jobs: the parent of a `merge-profile`; recomputes the dataset's reality report. */
export const COMPUTE_REPORT_QUEUE = 'compute-report';
/** Queue of the repeatable `apply-retention` job that deletes raw blocks past their retention. */
export const APPLY_RETENTION_QUEUE = 'apply-retention';

/** Every queue realitycheck uses, in the order workers start them. */
export const QUEUE_NAMES = [PROFILE_BLOCK_QUEUE, MERGE_PROFILE_QUEUE, COMPUTE_REPORT_QUEUE, APPLY_RETENTION_QUEUE] as const;

/** Name of one of realitycheck's queues (each queue has one job name, the same as the queue's). */
export type QueueName = (typeof QUEUE_NAMES)[number];
