import type { Kysely } from 'kysely';
import { createDatabase } from '../db/create-database.js';
import type { Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { createNoopScheduler, type ProfilingScheduler } from '../ingest/profiling-scheduler.js';
import { ensureAdminKey, type AdminKey } from './admin-key.js';
import { startApiServer, type ApiServer, type ReadinessCheck } from './api-server.js';
import type { Config } from '../platform/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../platform/embedded-postgres.js';
import { registerSecret, type Logger } from '../platform/logger.js';
import { createMetrics, type GaugeSample, type Metrics } from '../platform/metrics.js';
import { resolveUploadSecret } from '../platform/upload-secret.js';

/** What a worker backend contributes to a running API. */
export interface WorkerBackend {
  /** Receives the upload events (enqueues profiling jobs). */
  readonly scheduler: ProfilingScheduler;
  /** Extra `/ready` probes, e.g. `{ queue: … }`. */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** Jobs in each queue by state, for `/metrics` (`realitycheck_queue_jobs`). */
  readonly queueDepth?: () => Promise<readonly GaugeSample[]>;
  /** Stops in-process workers and closes queue connections. */
  close(): Promise<void>;
}

/** Creates the worker backend once the database is migrated. */
export type WorkerBackendFactory = (context: {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** Metrics of the process, which in-process workers add their job figures to. */
  readonly metrics: Metrics;
}) => Promise<WorkerBackend>;

/** Options of {@link runApi}. */
export interface RunApiOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Use the embedded Postgres when DATABASE_URL is unset (`realitycheck start`); otherwise DATABASE_URL is required. */
  readonly allowEmbedded: boolean;
  /** Profiling backend; without one, uploads stay RECEIVED (no profiling). */
  readonly workers?: WorkerBackendFactory;
  /** Metrics of the process (a new registry when not given). */
  readonly metrics?: Metrics;
}

/** A running API with everything it started. */
export interface RunningApi {
  readonly api: ApiServer;
  readonly adminKey: AdminKey;
  /** Set when the embedded Postgres serves the database. */
  readonly embedded?: EmbeddedPostgres;
  readonly workers: boolean;
  /** Stops everything, in reverse order of start. */
  stop(): Promise<void>;
}

/**
 * Brings up the API: database (DATABASE_URL, or the embedded Postgres), migrations, admin key,
 * worker backend when given, HTTP server. On failure, whatever was started is stopped again.
 */
export async function runApi(options: RunApiOptions): Promise<RunningApi> {
  const { config, logger } = options;
  const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const { name, run } of cleanups.splice(0).reverse()) {
      logger.debug(`stopping ${name}`);
      await run().catch((error: unknown) => logger.error(`error while stopping ${name}`, { error }));
    }
  };
  try {
    let databaseUrl = config.databaseUrl;
    let embedded: EmbeddedPostgres | undefined;
    if (!databaseUrl) {
      if (!options.allowEmbedded) throw new Error('DATABASE_URL is not set (use `realitycheck start` for an embedded database)');
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
      cleanups.push({ name: 'embedded Postgres', run: () => embedded!.stop() });
      databaseUrl = embedded.url;
    }
    const db = createDatabase(databaseUrl, {
      poolSize: config.databasePoolSize,
      // While stopping, the embedded server may go down before the pool: expected, not worth a warning.
      onPoolError: (error) => (stopping ? logger.debug : logger.warn)('idle database connection failed', { error }),
    });
    cleanups.push({ name: 'database pool', run: () => db.destroy() });
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info('database migrated', { applied });
    const adminKey = await ensureAdminKey(db, config);
    const uploadSecret = await resolveUploadSecret(config);
    // Never written to a log line, whatever shape they have.
    registerSecret(adminKey.secret);
    registerSecret(uploadSecret);
    const metrics = options.metrics ?? createMetrics();

    // Worker backend (BullMQ profiling workers): plugged in here when configured.
    let scheduler: ProfilingScheduler = createNoopScheduler();
    let readinessChecks: Readonly<Record<string, ReadinessCheck>> | undefined;
    if (options.workers) {
      const backend = await options.workers({ config, db, databaseUrl, logger, metrics });
      cleanups.push({ name: 'worker backend', run: () => backend.close() });
      scheduler = backend.scheduler;
      readinessChecks = backend.readinessChecks;
      if (backend.queueDepth) metrics.setQueueDepthSource(backend.queueDepth);
    } else {
      logger.warn('no worker backend configured: uploaded samples are stored but not profiled');
    }

    const api = await startApiServer({ config, db, uploadSecret, scheduler, logger, readinessChecks, metrics });
    cleanups.push({ name: 'HTTP server', run: () => api.close() });
    return { api, adminKey, embedded, workers: options.workers !== undefined, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
