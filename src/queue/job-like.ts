import type { JobsOptions } from 'bullmq';

/**
 * The part of a job the processors read. Both a BullMQ `Job` and the job a processor thread
 * receives have it, so one processor function serves both (and tests can call it).
 */
export interface JobLike {
  readonly id?: string;
  readonly data: unknown;
  /** Attempts that already failed (0 while the first attempt runs). */
  readonly attemptsMade: number;
  readonly opts: Pick<JobsOptions, 'attempts'>;
}

/** Whether a failure of the running attempt is the job's last (no retry follows). */
export function isLastAttempt(job: JobLike): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
