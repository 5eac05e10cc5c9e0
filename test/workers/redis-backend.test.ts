import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { openQueueBackend } from '../../src/queue/queue-backend.js';
import { PROFILE_BLOCK_QUEUE } from '../../src/queue/queue-names.js';
import { RedisEvictionPolicyError } from '../../src/queue/redis-eviction-policy-error.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { createTestDatabase, type TestDatabase } from '../api/harness.js';
import { deleteRedisPrefix, testRedisUrl, uniquePrefix } from './support/backends.js';
import { ensureBuilt } from './support/build.js';
import { privateRedisPort, startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { spawnWorker } from './support/worker-process.js';

// Needs the system Redis and redis-server (REDIS_ONLY_TEST_FILES in test/support/test-services.ts).

const logger = createSilentLogger();

describe('the Redis queue backend', () => {
  let evicting: PrivateRedis;
  let database: TestDatabase;

  beforeAll(async () => {
    await ensureBuilt();
    evicting = await startPrivateRedis(privateRedisPort(), ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await evicting?.stop();
    await database?.drop();
  });

  it('refuses a Redis that may evict keys, and says why', async () => {
    const jobs = loadConfig({ REDIS_URL: evicting.url }).jobs;
    const opening = openQueueBackend({ jobs, databaseUrl: database.url, logger });
    await expect(opening).rejects.toBeInstanceOf(RedisEvictionPolicyError);
    await expect(opening).rejects.toThrow(/maxmemory-policy 'allkeys-lru'.*needs 'noeviction'.*silently lose or repeat/s);
  });

  it('a worker process on such a Redis exits with that reason', async () => {
    const worker = spawnWorker({ REDIS_URL: evicting.url, DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(worker.output()).toMatch(/maxmemory-policy 'allkeys-lru'/);
  });

  it('keeps every Redis key of a flow under one hash-tagged prefix (one Redis Cluster slot)', async () => {
    const prefix = uniquePrefix();
    const backend = await openQueueBackend({ jobs: loadConfig({ REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix }).jobs, databaseUrl: database.url, logger });
    const redis = new Redis(testRedisUrl());
    try {
      await backend.flowProducer().add({
        name: 'parent',
        queueName: 'merge-profile',
        data: {},
        children: [{ name: PROFILE_BLOCK_QUEUE, queueName: PROFILE_BLOCK_QUEUE, data: {} }],
      });
      const keys = await redis.keys(`*${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      // Redis Cluster hashes only what is inside the first braces, so these keys share one slot.
      for (const key of keys) expect(key.startsWith(`{${prefix}}:`)).toBe(true);
    } finally {
      redis.disconnect();
      await backend.close();
      await deleteRedisPrefix(prefix);
    }
  });
});
