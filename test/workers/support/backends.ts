import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type JobsConfig } from '../../../src/platform/config.js';
import { deleteQueueKeys } from '../../../src/queue/redis-queue-backend.js';

/** The two queue backends. */
export type BackendKind = 'redis' | 'postgres';

/** The Redis of the run (test/support/test-services.ts); null when none answered at start. */
const redisUrl = inject('testRedisUrl');

/** The queue backends every integration suite runs on: both, or PostgreSQL only when the run has no Redis. */
export const BACKENDS: readonly BackendKind[] = redisUrl === null ? ['postgres'] : ['redis', 'postgres'];

/**
 * The system Redis of the test machine.
 *
 * @throws Error when the run has no Redis (only suites on the Redis backend ask for it).
 */
export function testRedisUrl(): string {
  if (redisUrl === null) throw new Error('this run has no Redis (none answered at TEST_REDIS_URL when it started)');
  return redisUrl;
}

/**
 * Environment of a worker (or producer) on one backend: Redis with a prefix of its own (so runs
 * never see each other's jobs), or the PostgreSQL backend (the test database is private anyway);
 * short locks and stall checks so that a killed worker's job comes back in seconds.
 */
export function backendEnv(kind: BackendKind, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(kind === 'redis' ? { REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix } : { REDIS_URL: '' }),
    WORKER_LOCK_DURATION_MS: '3000',
    WORKER_STALLED_INTERVAL_MS: '1500',
    JOB_ATTEMPTS: '3',
    JOB_BACKOFF_MS: '200',
    WORKER_SHUTDOWN_TIMEOUT_MS: '10000',
    RECONCILE_INTERVAL_MS: '600000',
    LOG_LEVEL: process.env.TEST_LOG ? 'debug' : 'warn',
    ...extra,
  };
}

/** A fresh Redis key prefix (hash-tagged) for one test file. */
export function uniquePrefix(): string {
  return `rctest-${randomBytes(4).toString('hex')}`;
}

/** The jobs configuration for in-process workers and schedulers in a test. */
export function testJobsConfig(kind: BackendKind, prefix: string, overrides: Partial<JobsConfig> = {}): JobsConfig {
  return loadConfig(backendEnv(kind, prefix), { jobs: { concurrency: 2, ...overrides } }).jobs;
}

/** Deletes every key of a test prefix from the system Redis (SCAN + UNLINK). */
export async function deleteRedisPrefix(prefix: string, url = testRedisUrl()): Promise<void> {
  await deleteQueueKeys(url, prefix);
}
