import { createPostgresBackend, FlowProducer, Queue, runMigrations, Worker, type Processor } from 'bullmq';
import pg from 'pg';
import type { Logger } from '../platform/logger.js';
import type { AnyFlowProducer, AnyQueue, AnyWorker, QueueBackend, WorkerSettings } from './queue-backend.js';
import { QUEUE_NAMES, type QueueName } from './queue-names.js';

/** BullMQ's schema; a shared pool can only use the default one (see {@link openPostgresQueueBackend}). */
const BULLMQ_SCHEMA = 'bullmq';
/** Pool connections for queries, beside the one `LISTEN` connection each worker keeps. */
const QUERY_CONNECTIONS = 4;

/** Options of {@link openPostgresQueueBackend}. */
export interface PostgresQueueBackendOptions {
  readonly connectionString: string;
  readonly logger: Logger;
}

/** The connection string without its password, for messages. */
function redactPostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(the configured database)';
  }
}

/**
 * Returns a backend on BullMQ's PostgreSQL implementation, in the `bullmq` schema of the
 * application's database, after bringing that schema to BullMQ's latest version.
 *
 * All queues, workers and the flow producer of a process share one `pg.Pool` instead of each
 * opening its own (BullMQ's default): a worker process then holds at most eight connections, not
 * thirty, which matters on a Postgres with the usual `max_connections = 100`. A shared pool
 * cannot carry BullMQ's `schema` option, so the pool pins `search_path` to `bullmq` itself.
 */
export async function openPostgresQueueBackend(options: PostgresQueueBackendOptions): Promise<QueueBackend> {
  const location = `postgres ${redactPostgresUrl(options.connectionString)} (schema ${BULLMQ_SCHEMA})`;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    options: `-c search_path=${BULLMQ_SCHEMA}`,
    // Each worker keeps one pooled connection for LISTEN; the rest serve queries.
    max: QUEUE_NAMES.length + QUERY_CONNECTIONS,
    // A LISTEN connection dropped by the network is noticed in seconds, not hours.
    keepAlive: true,
  });
  pool.on('error', (error) => options.logger.warn('queue database connection error', { error: error.message }));
  try {
    const client = await pool.connect();
    try {
      await runMigrations(client, BULLMQ_SCHEMA);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot prepare the BullMQ PostgreSQL schema in ${location}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return new PostgresQueueBackend(pool, location);
}

class PostgresQueueBackend implements QueueBackend {
  readonly kind = 'postgres' as const;
  private readonly queues = new Map<QueueName, AnyQueue>();
  private producer: AnyFlowProducer | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  queue(name: QueueName): AnyQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.pool }, createPostgresBackend) as unknown as AnyQueue;
      // Connection problems are logged once by the pool's own listener.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  flowProducer(): AnyFlowProducer {
    if (!this.producer) {
      this.producer = new FlowProducer({ connection: this.pool }, createPostgresBackend) as unknown as AnyFlowProducer;
      this.producer.on('error', () => undefined);
    }
    return this.producer;
  }

  createWorker(name: QueueName, processor: string | Processor, settings: WorkerSettings): AnyWorker {
    return new Worker(name, processor, { ...settings, connection: this.pool }, createPostgresBackend) as unknown as AnyWorker;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    await this.producer?.close().catch(() => undefined);
    this.queues.clear();
    this.producer = undefined;
    await this.pool.end();
  }
}
