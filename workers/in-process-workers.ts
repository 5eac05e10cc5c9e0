import type { Kysely } from 'kysely';
import type { Database } from '../src/db/database.js';
import type { ProfilingScheduler } from '../src/ingest/profiling-scheduler.js';
import type { JobsConfig } from '../src/platform/config.js';
import { openQueueBackend, type QueueBackend } from '../src/queue/queue-backend.js';
import { createQueueProfilingScheduler } from '../src/pipeline/queue-profiling-scheduler.js';
import { QUEUE_NAMES } from '../src/queue/queue-names.js';
import type { Logger } from '../src/platform/logger.js';
import type { GaugeSample, Metrics } from '../src/platform/metrics.js';
import type { WorkerBackendFactory } from '../src/server/run-api.js';
import { startWorkers, type RunningWorkers } from './start-workers.js';

/** Options of {@link startInProcessWorkers}. */
export interface InProcessWorkersOptions {
  readonly db: Kysely<Database>;
  readonly databaseUrl: string;
  readonly jobs: JobsConfig;
  readonly logger: Logger;
  /** Where the workers count job durations, failures, rows and bytes. */
  readonly metrics?: Metrics;
}

/** Workers running inside another process (the API), with the scheduler the API hands uploads to. */
export interface InProcessWorkers {
  readonly backend: QueueBackend;
  readonly workers: RunningWorkers;
  /** Give this to the API instead of the no-op scheduler. */
  readonly scheduler: ProfilingScheduler;
  /** Stops the workers (gracefully, within `jobs.shutdownTimeoutMs`), then closes the queues. */
  close(): Promise<void>;
}

/**
 * Starts the workers in the calling process, as `realitycheck start` does: the queue backend the
 * configuration selects (Redis with `REDIS_URL`, else BullMQ's PostgreSQL backend in the same
 * database), one worker per queue, and a scheduler that queues uploads on it.
 *
 * @example
 * const inProcess = await startInProcessWorkers({ db, databaseUrl, jobs: loadConfig().jobs, logger });
 * const api = createApi({ ..., scheduler: inProcess.scheduler });
 * // on shutdown: await api.close(); await inProcess.close();
 */
export async function startInProcessWorkers(options: InProcessWorkersOptions): Promise<InProcessWorkers> {
  const backend = await openQueueBackend({ jobs: options.jobs, databaseUrl: options.databaseUrl, logger: options.logger });
  let workers: RunningWorkers;
  try {
    workers = await startWorkers({ ...options, backend });
  } catch (error) {
    await backend.close().catch(() => undefined);
    throw error;
  }
  const scheduler = createQueueProfilingScheduler({ backend, db: options.db, jobs: options.jobs, logger: options.logger });
  return {
    backend,
    workers,
    scheduler,
    async close() {
      await workers.close();
      await backend.close();
    },
  };
}

/**
 * Worker backend of `realitycheck start`: workers in the API process, on the queue backend the
 * configuration selects, with the queue checked by `/ready`.
 */
export const inProcessWorkerBackend: WorkerBackendFactory = async ({ config, db, databaseUrl, logger, metrics }) => {
  const started = await startInProcessWorkers({
    db,
    databaseUrl,
    jobs: config.jobs,
    logger,
    metrics,
  });
  return {
    scheduler: started.scheduler,
    readinessChecks: { queue: () => started.backend.ping() },
    queueDepth: () => queueDepth(started.backend),
    close: () => started.close(),
  };
};

/**
 * Worker backend of `realitycheck api`: no workers in the process (they run as `realitycheck
 * worker`), only the scheduler that queues uploads for them, and the queue in `/ready`.
 */
export const queueOnlyWorkerBackend: WorkerBackendFactory = async ({ config, db, databaseUrl, logger }) => {
  const jobs = config.jobs;
  const backend = await openQueueBackend({ jobs, databaseUrl, logger });
  return {
    scheduler: createQueueProfilingScheduler({ backend, db, jobs, logger }),
    readinessChecks: { queue: () => backend.ping() },
    queueDepth: () => queueDepth(backend),
    close: () => backend.close(),
  };
};

/** Job states reported by `realitycheck_queue_jobs`. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;

/** Jobs of every queue by state, as gauge samples. */
export async function queueDepth(backend: QueueBackend): Promise<GaugeSample[]> {
  const samples: GaugeSample[] = [];
  for (const name of QUEUE_NAMES) {
    const counts = await backend.queue(name).getJobCounts(...QUEUE_STATES);
    for (const state of QUEUE_STATES) samples.push({ labels: { queue: name, state }, value: counts[state] ?? 0 });
  }
  return samples;
}
