import type { Kysely } from 'kysely';
import { createDatabase } from '../src/db/create-database.js';
import type { Database } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { openQueueBackend, type QueueBackend } from '../src/queue/queue-backend.js';
import { loadConfig, type Config, type JobsConfig } from '../src/platform/config.js';
import { createLogger, type Logger } from '../src/platform/logger.js';
import { installCrashLogging } from '../src/platform/crash-logging.js';
import { createMetrics, startMetricsServer } from '../src/platform/metrics.js';
import { queueDepth } from './in-process-workers.js';
import { startWorkers, type RunningWorkers } from './start-workers.js';

/** Options of {@link runWorkerProcess}. */
export interface WorkerProcessOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides `WORKER_CONCURRENCY`. */
  readonly concurrency?: number;
  readonly logger?: Logger;
  /** Resolves when the process should stop; default: the first SIGTERM or SIGINT. */
  readonly stopSignal?: Promise<string>;
}

/**
 * The body of `realitycheck worker`: connects to the database (migrating it if needed, like every
 * realitycheck process) and to the queue backend, starts the workers, and runs until SIGTERM or
 * SIGINT. Then it stops taking jobs, lets running ones finish within `WORKER_SHUTDOWN_TIMEOUT_MS`
 * and hands the rest back to the queue; a second signal exits at once.
 *
 * @returns the process exit code.
 */
export async function runWorkerProcess(options: WorkerProcessOptions = {}): Promise<number> {
  // Listen from the start: a signal that arrives while connecting stops the process right after.
  const stopRequested = options.stopSignal ?? firstSignal();
  const env = options.env ?? process.env;
  let config: Config;
  let jobs: JobsConfig;
  try {
    config = loadConfig(env, options.concurrency === undefined ? {} : { jobs: { concurrency: options.concurrency } });
    jobs = config.jobs;
  } catch (error) {
    (options.logger ?? createLogger()).error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const logger = options.logger ?? createLogger({ level: config.logLevel, bindings: { process: 'worker' } });
  if (!options.logger) installCrashLogging(logger);
  if (!config.databaseUrl) {
    logger.error('realitycheck worker needs DATABASE_URL: workers share the database of the API (use `realitycheck start` for the embedded database)');
    return 1;
  }

  let db: Kysely<Database> | undefined;
  let backend: QueueBackend | undefined;
  let running: RunningWorkers | undefined;
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  const metrics = createMetrics();
  try {
    db = createDatabase(config.databaseUrl, {
      poolSize: 4,
      onPoolError: (error) => logger.warn('database connection error', { error: error.message }),
    });
    await migrateToLatest(db);
    backend = await openQueueBackend({ jobs, databaseUrl: config.databaseUrl, logger });
    running = await startWorkers({
      backend,
      db,
      databaseUrl: config.databaseUrl,
      jobs,
      logger,
      metrics,
    });
    if (jobs.metricsPort !== undefined) {
      const queues = backend;
      metrics.setQueueDepthSource(() => queueDepth(queues));
      metricsServer = await startMetricsServer({ metrics, host: config.host, port: jobs.metricsPort, token: config.metricsToken });
      logger.info('metrics served', { url: `http://${config.host}:${metricsServer.port}/metrics` });
    }
    // A first pass at once: work lost while no worker ran (a queue restart) resumes without waiting.
    running.reconcileNow().catch((error: unknown) => logger.warn('initial reconciliation failed', { error: String(error) }));
  } catch (error) {
    logger.error(error instanceof Error ? error.message : String(error));
    await running?.close().catch(() => undefined);
    await metricsServer?.close();
    await backend?.close().catch(() => undefined);
    await db?.destroy().catch(() => undefined);
    return 1;
  }

  const signal = await stopRequested;
  logger.info('stopping workers', { signal, timeoutMs: jobs.shutdownTimeoutMs });
  const forceExit = () => {
    logger.warn('second signal: exiting now');
    process.exit(1);
  };
  process.once('SIGTERM', forceExit);
  process.once('SIGINT', forceExit);
  try {
    await metricsServer?.close();
    await running.close();
    await backend.close();
    await db.destroy();
  } finally {
    process.off('SIGTERM', forceExit);
    process.off('SIGINT', forceExit);
  }
  logger.info('workers stopped');
  return 0;
}

function firstSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}
