import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { openQueueBackend } from '../../src/queue/queue-backend.js';
import { PROFILE_BLOCK_QUEUE } from '../../src/queue/queue-names.js';
import { createSilentLogger } from '../../src/platform/logger.js';
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

  it('a worker process logs JSON lines and serves /metrics on WORKER_METRICS_PORT', async () => {
    const worker = spawnWorker({ DATABASE_URL: database.url, REDIS_URL: '', WORKER_METRICS_PORT: '0', LOG_LEVEL: 'info' });
    try {
      let url: string | undefined;
      for (let i = 0; i < 600 && url === undefined && worker.child.exitCode === null; i++) {
        url = /"url":"(http:[^"]+\/metrics)"/.exec(worker.output())?.[1];
        if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(url, worker.output()).toBeDefined();
      const text = await (await fetch(url!)).text();
      expect(text).toMatch(/^realitycheck_queue_jobs\{queue="profile-block",state="waiting"\} \d+$/m);
      expect(text).toMatch(/^# TYPE realitycheck_job_duration_seconds histogram$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      const lines = worker.output().trim().split('\n');
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ process: 'worker', level: expect.any(String), msg: expect.any(String) });
      expect(lines.map((line) => JSON.parse(line).msg)).toContain('workers stopped');
    } finally {
      await worker.kill();
    }
  });

  it('keeps the PostgreSQL queues in the bullmq schema of the application database', async () => {
    const backend = await openQueueBackend({ jobs: loadConfig({}).jobs, databaseUrl: database.url, logger });
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
