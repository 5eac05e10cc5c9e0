import type { FlowProducer, IQueueBackend, Processor, Queue, Worker, WorkerOptions } from 'bullmq';
import type { Logger } from '../platform/logger.js';
import type { JobsConfig } from '../platform/config.js';
import type { QueueName } from './queue-names.js';

/** A BullMQ queue on either backend. */
export type AnyQueue = Queue<any, any, string, any, any, string, IQueueBackend, any>;
/** A BullMQ worker on either backend. */
export type AnyWorker = Worker<any, any, string, IQueueBackend, any, any>;
/** A BullMQ flow producer on either backend. */
export type AnyFlowProducer = FlowProducer<IQueueBackend, any>;

/** Worker options the caller decides; the connection and the key prefix belong to the backend. */
export type WorkerSettings = Omit<WorkerOptions, 'connection' | 'prefix'>;

/**
 * Where realitycheck's queues live: Redis (the production path, any number of hosts) or BullMQ's
 * PostgreSQL backend in the application's own database (the embedded default, nothing to run
 * but Node). The rest of the code sees queues, flows and workers only, never the backend.
 */
export interface QueueBackend {
  readonly kind: 'redis' | 'postgres';
  /** Where the queues are, for logs and messages (no credentials). */
  readonly location: string;
  /** The queue of that name (one instance per backend, created on first use). */
  queue(name: QueueName): AnyQueue;
  /** The flow producer (one per backend). */
  flowProducer(): AnyFlowProducer;
  /** A new worker on a queue; `processor` is a function, or a file path for a sandboxed processor. */
  createWorker(name: QueueName, processor: string | Processor, settings: WorkerSettings): AnyWorker;
  /** Resolves when the backend answers (for readiness checks). */
  ping(): Promise<void>;
  /** Closes the queues and producers it created, then its connections. Workers are closed by their owner first. */
  close(): Promise<void>;
}

/** What {@link openQueueBackend} needs. */
export interface OpenQueueBackendOptions {
  readonly jobs: JobsConfig;
  /** The application database; the PostgreSQL backend keeps its tables there (schema `bullmq`). */
  readonly databaseUrl: string;
  readonly logger: Logger;
}

/**
 * Opens the backend the configuration selects: Redis when `REDIS_URL` is set (refusing a Redis
 * that may evict keys), otherwise BullMQ's PostgreSQL backend on `databaseUrl`, whose schema is
 * migrated first (idempotent and safe when many processes start at once).
 *
 * @example
 * const backend = await openQueueBackend({ jobs: loadConfig().jobs, databaseUrl, logger });
 * await backend.queue('profile-block').getJobCounts();
 * await backend.close();
 */
export async function openQueueBackend(options: OpenQueueBackendOptions): Promise<QueueBackend> {
  if (options.jobs.redisUrl !== undefined) {
    const { openRedisQueueBackend } = await import('./redis-queue-backend.js');
    return openRedisQueueBackend({
      url: options.jobs.redisUrl,
      cluster: options.jobs.redisCluster,
      prefix: options.jobs.queuePrefix,
      logger: options.logger,
    });
  }
  const { openPostgresQueueBackend } = await import('./postgres-queue-backend.js');
  return openPostgresQueueBackend({ connectionString: options.databaseUrl, logger: options.logger });
}
