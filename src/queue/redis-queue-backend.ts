import { FlowProducer, Queue, Worker, type Processor } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import { hashTagPrefix } from '../platform/config.js';
import type { AnyFlowProducer, AnyQueue, AnyWorker, QueueBackend, WorkerSettings } from './queue-backend.js';
import type { QueueName } from './queue-names.js';
import { assertNoEviction } from './redis-eviction-policy.js';

/** Options of {@link openRedisQueueBackend}. */
export interface RedisQueueBackendOptions {
  /** `redis://` or `rediss://` URL; with `cluster`, the URL of one seed node. */
  readonly url: string;
  readonly cluster?: boolean;
  /** Key prefix; must contain a hash tag (`{rc}`) for Redis Cluster. */
  readonly prefix: string;
  readonly logger: Logger;
  /** How long the first connection may take. */
  readonly connectTimeoutMs?: number;
}

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/**
 * Deletes every key under a queue prefix (hash-tagged as `QUEUE_PREFIX` is) from one Redis, with
 * SCAN and UNLINK: what a run with a prefix of its own (a test, a benchmark) leaves behind.
 */
export async function deleteQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${hashTagPrefix(prefix)}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Connects to Redis (or a Redis Cluster), checks that it never evicts keys, and returns a
 * backend whose queues, flow producer and workers share that connection (BullMQ duplicates it
 * for each worker's blocking reads).
 *
 * Commands wait for a reconnection rather than fail (`maxRetriesPerRequest: null`, as BullMQ
 * workers require), so a Redis restart pauses work instead of failing jobs.
 *
 * @throws RedisEvictionPolicyError when `maxmemory-policy` is not `noeviction`.
 */
export async function openRedisQueueBackend(options: RedisQueueBackendOptions): Promise<QueueBackend> {
  const location = redactRedisUrl(options.url);
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    // Reconnect forever, backing off to at most 5 s: a restarted Redis is picked up again.
    retryStrategy: (attempt) => Math.min(250 * attempt, 5_000),
  };
  const connection: Redis | Cluster = options.cluster
    ? new Cluster([options.url], { redisOptions, lazyConnect: true, clusterRetryStrategy: (attempt) => Math.min(250 * attempt, 5_000) })
    : new Redis(options.url, redisOptions);
  let lastError = '';
  connection.on('error', (error: Error) => {
    // ioredis reports every failed reconnection; log each distinct problem once in a row.
    if (error.message === lastError) return;
    lastError = error.message;
    options.logger.warn('redis connection error', { redis: location, error: error.message });
  });
  connection.on('ready', () => {
    if (lastError) options.logger.info('redis connection restored', { redis: location });
    lastError = '';
  });
  try {
    await connection.connect();
    await assertNoEviction(connection, (node) => (node === connection ? location : `${node.options.host}:${node.options.port}`));
  } catch (error) {
    connection.disconnect();
    if (error instanceof Error && error.name === 'RedisEvictionPolicyError') throw error;
    throw new Error(`cannot connect to Redis at ${location}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return new RedisQueueBackend(connection, options.prefix, location);
}

class RedisQueueBackend implements QueueBackend {
  readonly kind = 'redis' as const;
  private readonly queues = new Map<QueueName, AnyQueue>();
  private producer: AnyFlowProducer | undefined;

  constructor(
    private readonly connection: Redis | Cluster,
    private readonly prefix: string,
    readonly location: string,
  ) {}

  queue(name: QueueName): AnyQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix }) as unknown as AnyQueue;
      // Connection problems are logged once by the connection's own listener.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  flowProducer(): AnyFlowProducer {
    if (!this.producer) {
      this.producer = new FlowProducer({ connection: this.connection, prefix: this.prefix }) as unknown as AnyFlowProducer;
      this.producer.on('error', () => undefined);
    }
    return this.producer;
  }

  createWorker(name: QueueName, processor: string | Processor, settings: WorkerSettings): AnyWorker {
    return new Worker(name, processor, { ...settings, connection: this.connection, prefix: this.prefix }) as unknown as AnyWorker;
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    await this.producer?.close().catch(() => undefined);
    this.queues.clear();
    this.producer = undefined;
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
