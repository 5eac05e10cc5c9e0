import type { Kysely } from 'kysely';
import type { Database, SampleRow } from '../../../src/db/database.js';
import type { ProfilingScheduler } from '../../../src/ingest/profiling-scheduler.js';
import type { JobsConfig } from '../../../src/platform/config.js';
import { openQueueBackend, type QueueBackend } from '../../../src/queue/queue-backend.js';
import { createQueueProfilingScheduler } from '../../../src/pipeline/queue-profiling-scheduler.js';
import { createLogger, createSilentLogger, type Logger } from '../../../src/platform/logger.js';
import { createMetrics, type Metrics } from '../../../src/platform/metrics.js';
import { queueDepth } from '../../../workers/in-process-workers.js';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.js';
import { startTestApi, type TestApi } from '../../api/harness.js';
import { deleteRedisPrefix, testJobsConfig, uniquePrefix, type BackendKind } from './backends.js';
import { ensureBuilt } from './build.js';
import { waitFor } from './wait-for.js';

/** The real API (HTTP, on a fresh database) wired to a queue backend, with workers in this process or not. */
export interface Pipeline {
  readonly kind: BackendKind;
  readonly api: TestApi;
  readonly db: Kysely<Database>;
  readonly databaseUrl: string;
  readonly prefix: string;
  readonly jobs: JobsConfig;
  readonly backend: QueueBackend;
  readonly scheduler: ProfilingScheduler;
  readonly logger: Logger;
  /** Workers started in this process (absent when the test runs worker processes). */
  readonly workers: RunningWorkers | undefined;
  /** Metrics shared by the API and the in-process workers, served at the API's /metrics. */
  readonly metrics: Metrics;
  close(): Promise<void>;
}

/** Options of {@link startPipeline}. */
export interface PipelineOptions {
  /** Start workers in this process (default true). */
  readonly workers?: boolean;
  /** Size of the row-aligned blocks uploads are cut into (BLOCK_BYTES). */
  readonly blockBytes?: number;
  readonly jobs?: Partial<JobsConfig>;
  /** A Redis other than the system one (a private server the test restarts). */
  readonly redisUrl?: string;
}

/** Starts the API, the queue backend and (by default) in-process workers. */
export async function startPipeline(kind: BackendKind, options: PipelineOptions = {}): Promise<Pipeline> {
  await ensureBuilt();
  const prefix = uniquePrefix();
  const jobs = testJobsConfig(kind, prefix, { ...options.jobs, ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}) });
  const logger = process.env.TEST_LOG ? createLogger({ level: 'debug' }) : createSilentLogger();
  // The API is built before the queue (the backend needs its database), so its scheduler delegates.
  let target: ProfilingScheduler | undefined;
  const scheduler: ProfilingScheduler = {
    onBlockStored: async (sampleId, blockIndex) => target?.onBlockStored(sampleId, blockIndex),
    onUploadComplete: async (sampleId) => target?.onUploadComplete(sampleId),
    onReportRequested: async (datasetId, sampleId, requestedAt) => target?.onReportRequested?.(datasetId, sampleId, requestedAt),
    close: async () => target?.close(),
  };
  const metrics = createMetrics();
  const api = await startTestApi({ scheduler, metrics, env: { BLOCK_BYTES: String(options.blockBytes ?? 16 * 1024) } });
  const databaseUrl = api.config.databaseUrl!;
  const backend = await openQueueBackend({ jobs, databaseUrl, logger });
  metrics.setQueueDepthSource(() => queueDepth(backend));
  target = createQueueProfilingScheduler({ backend, db: api.db, jobs, logger });
  const workers =
    options.workers === false
      ? undefined
      : await startWorkers({ backend, db: api.db, databaseUrl, jobs, logger, metrics, reconcile: false, name: 'test' });
  return {
    kind,
    api,
    db: api.db,
    databaseUrl,
    prefix,
    jobs,
    backend,
    scheduler,
    logger,
    workers,
    metrics,
    async close() {
      await workers?.close(5_000);
      await backend.close();
      await api.close();
      if (kind === 'redis' && !options.redisUrl) await deleteRedisPrefix(prefix);
    },
  };
}

/** Waits until the sample is in one of `statuses` and returns it. */
export async function waitForSample(
  db: Kysely<Database>,
  sampleId: string,
  statuses: readonly SampleRow['status'][],
  timeoutMs = 60_000,
): Promise<SampleRow> {
  return waitFor(
    `sample ${sampleId} to be ${statuses.join(' or ')}`,
    async () => {
      const row = await db.selectFrom('samples').selectAll().where('id', '=', sampleId).executeTakeFirst();
      return row && statuses.includes(row.status) ? row : undefined;
    },
    timeoutMs,
  );
}
