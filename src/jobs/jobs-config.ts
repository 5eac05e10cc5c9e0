import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** Every default of the queues and workers, in one place; environment variables override them. */
export const JOBS_DEFAULTS = {
  /** Redis key prefix; wrapped in braces (a hash tag) so that every key of a flow lands in one Redis Cluster slot. */
  queuePrefix: 'rc',
  /** How long a worker holds a job before it must renew the lock; a dead worker's job is taken back after about this long. */
  lockDurationMs: 30_000,
  /** How often workers look for jobs whose worker died (stalled jobs). */
  stalledIntervalMs: 30_000,
  /** A job that stalls more often than this fails (a poison job that kills its worker every time). */
  maxStalledCount: 3,
  /** Attempts of a job that hits transient faults (database or network). */
  attempts: 5,
  /** First retry delay; doubles per attempt, with jitter. */
  backoffMs: 2_000,
  /** Share of each retry delay that is random, so that retries of many jobs spread out. */
  backoffJitter: 0.5,
  /** On SIGTERM/SIGINT, how long running jobs may take to finish before they are handed back to the queue. */
  shutdownTimeoutMs: 30_000,
  /** How often the raw-data retention job runs. */
  retentionIntervalMs: 60 * 60 * 1000,
  /** How often a worker compares the samples in Postgres with the jobs in the queue, and re-adds lost work. */
  reconcileIntervalMs: 60_000,
  /** A sample is reconciled only after it made no progress for this long. */
  reconcileGraceMs: 120_000,
  /** The most heap one processor thread may be given, in MiB (see `memory-plan.ts`). */
  threadHeapMaxMb: 1_024,
} as const;

/** Settings of the queues and workers. Immutable; build it once with {@link loadJobsConfig}. */
export interface JobsConfig {
  /** Redis connection string (`REDIS_URL`); undefined selects BullMQ's PostgreSQL backend. */
  readonly redisUrl: string | undefined;
  /** Treat `REDIS_URL` as a seed node of a Redis Cluster (`REDIS_CLUSTER=1`). */
  readonly redisCluster: boolean;
  /** Redis key prefix, hash-tagged: `{rc}` (`QUEUE_PREFIX`). */
  readonly queuePrefix: string;
  /** Parallel `profile-block` jobs per worker process (`WORKER_CONCURRENCY`); default: the number of cores. */
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly backoffJitter: number;
  readonly shutdownTimeoutMs: number;
  readonly retentionIntervalMs: number;
  readonly reconcileIntervalMs: number;
  readonly reconcileGraceMs: number;
  /** The most heap one processor thread may be given, in MiB (`WORKER_THREAD_HEAP_MAX_MB`); jobs get less when their plan allows. */
  readonly threadHeapMaxMb: number;
  /** Port of the `/metrics` and `/health` server of a `realitycheck worker` process (`WORKER_METRICS_PORT`); unset: none. */
  readonly metricsPort: number | undefined;
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const positiveInt = (fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

const envSchema = z.object({
  REDIS_URL: z.preprocess(emptyAsUndefined, z.string().optional()),
  REDIS_CLUSTER: z.preprocess(emptyAsUndefined, z.enum(['0', '1', 'true', 'false']).default('0')),
  QUEUE_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^[^\s:]+$/, 'no spaces or colons').default(JOBS_DEFAULTS.queuePrefix)),
  WORKER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().max(256).optional()),
  WORKER_LOCK_DURATION_MS: positiveInt(JOBS_DEFAULTS.lockDurationMs),
  WORKER_STALLED_INTERVAL_MS: positiveInt(JOBS_DEFAULTS.stalledIntervalMs),
  WORKER_MAX_STALLED_COUNT: positiveInt(JOBS_DEFAULTS.maxStalledCount),
  JOB_ATTEMPTS: positiveInt(JOBS_DEFAULTS.attempts),
  JOB_BACKOFF_MS: positiveInt(JOBS_DEFAULTS.backoffMs),
  WORKER_SHUTDOWN_TIMEOUT_MS: positiveInt(JOBS_DEFAULTS.shutdownTimeoutMs),
  RETENTION_INTERVAL_MS: positiveInt(JOBS_DEFAULTS.retentionIntervalMs),
  RECONCILE_INTERVAL_MS: positiveInt(JOBS_DEFAULTS.reconcileIntervalMs),
  RECONCILE_GRACE_MS: positiveInt(JOBS_DEFAULTS.reconcileGraceMs),
  WORKER_THREAD_HEAP_MAX_MB: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(64).default(JOBS_DEFAULTS.threadHeapMaxMb)),
  WORKER_METRICS_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65_535).optional()),
});

/** Raised when a queue or worker setting does not parse; the message names the variable. */
export class JobsConfigError extends Error {
  override readonly name = 'JobsConfigError';
}

/**
 * Wraps a key prefix in a Redis Cluster hash tag unless it already has one: BullMQ's flows run
 * multi-key scripts over the keys of several queues, which Redis Cluster accepts only when they
 * hash to one slot.
 *
 * @example
 * hashTagPrefix('rc') // '{rc}'
 * hashTagPrefix('{rc}') // '{rc}'
 */
export function hashTagPrefix(prefix: string): string {
  return /\{[^{}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

/**
 * Parses the queue and worker settings from the environment.
 *
 * @example
 * const jobs = loadJobsConfig({ REDIS_URL: 'redis://localhost:6379', WORKER_CONCURRENCY: '4' });
 */
export function loadJobsConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<JobsConfig> = {}): JobsConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new JobsConfigError(`invalid environment: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    redisUrl: e.REDIS_URL,
    redisCluster: e.REDIS_CLUSTER === '1' || e.REDIS_CLUSTER === 'true',
    queuePrefix: hashTagPrefix(e.QUEUE_PREFIX),
    concurrency: e.WORKER_CONCURRENCY ?? availableParallelism(),
    lockDurationMs: e.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: e.WORKER_MAX_STALLED_COUNT,
    attempts: e.JOB_ATTEMPTS,
    backoffMs: e.JOB_BACKOFF_MS,
    backoffJitter: JOBS_DEFAULTS.backoffJitter,
    shutdownTimeoutMs: e.WORKER_SHUTDOWN_TIMEOUT_MS,
    retentionIntervalMs: e.RETENTION_INTERVAL_MS,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    reconcileGraceMs: e.RECONCILE_GRACE_MS,
    threadHeapMaxMb: e.WORKER_THREAD_HEAP_MAX_MB,
    metricsPort: e.WORKER_METRICS_PORT,
    ...overrides,
  });
}
