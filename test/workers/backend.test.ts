import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJobsConfig } from '../../src/jobs/jobs-config.js';
import { openQueueBackend } from '../../src/jobs/queue-backend.js';
import { PROFILE_BLOCK_QUEUE } from '../../src/jobs/queue-names.js';
import { createSilentLogger } from '../../src/runtime/logger.js';
import { createTestDatabase, type TestDatabase } from '../api/harness.js';
import { ensureBuilt } from './support/build.js';
import { spawnWorker } from './support/worker-process.js';

// The Redis backend's own checks (eviction policy, key prefix) are in redis-backend.test.ts.

const logger = createSilentLogger();

describe('queue backends', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    await ensureBuilt();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('a worker process without DATABASE_URL exits and names the setting', async () => {
    const worker = spawnWorker({ DATABASE_URL: '', REDIS_URL: '' });
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(worker.output()).toMatch(/needs DATABASE_URL/);
  });

  it('keeps the PostgreSQL queues in the bullmq schema of the application database', async () => {
    const backend = await openQueueBackend({ jobs: loadJobsConfig({}), databaseUrl: database.url, logger });
    try {
      await backend.queue(PROFILE_BLOCK_QUEUE).add(PROFILE_BLOCK_QUEUE, { sampleId: 'x' }, { jobId: 'schema-probe' });
      expect(await backend.queue(PROFILE_BLOCK_QUEUE).getJobState('schema-probe')).toBe('waiting');
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const tables = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'bullmq'`);
      await client.end();
      expect(tables.rows[0].n).toBeGreaterThan(0);
    } finally {
      await backend.close();
    }
  });
});
