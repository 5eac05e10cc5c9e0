import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendEnv } from './support/backends.js';
import { messyCsvFile } from './support/csv-fixtures.js';
import { ingestBytes, insertDataset } from './support/direct-upload.js';
import { startPipeline, waitForSample, type Pipeline } from './support/pipeline-harness.js';
import { privateRedisPort, startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { waitFor } from './support/wait-for.js';
import { spawnWorker, type WorkerProcess } from './support/worker-process.js';

const KiB = 1024;

describe('a Redis restarted in the middle of a flow', () => {
  let redis: PrivateRedis;
  let pipeline: Pipeline;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis(privateRedisPort());
    pipeline = await startPipeline('redis', { workers: false, redisUrl: redis.url });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await pipeline?.close();
    await redis?.stop();
  });

  it('loses every job (no persistence), and the flow still completes once Redis is back, with the undisturbed profile', async () => {
    const { db, scheduler } = pipeline;
    const env = backendEnv('redis', pipeline.prefix, {
      REDIS_URL: redis.url,
      DATABASE_URL: pipeline.databaseUrl,
      WORKER_CONCURRENCY: '1',
      RECONCILE_INTERVAL_MS: '1000',
      RECONCILE_GRACE_MS: '1500',
      LOG_LEVEL: 'info',
    });
    workers.push(spawnWorker(env), spawnWorker(env));
    const file = messyCsvFile(40_000);
    const ids = await insertDataset(db, { name: 'restart' });
    const sampleId = await ingestBytes(db, ids, readFileSync(file), { blockBytes: 1024 * KiB });
    await scheduler.onUploadComplete(sampleId);
    const total = (await db.selectFrom('samples').select('blocks_total').where('id', '=', sampleId).executeTakeFirstOrThrow()).blocks_total!;

    // Mid-flow: some blocks profiled, not all.
    await waitFor(
      'some but not all blocks to be profiled',
      async () => {
        const done = (await db.selectFrom('sample_block_states').select('block_index').where('sample_id', '=', sampleId).execute()).length;
        return done >= 1 && done < total;
      },
      60_000,
      10,
    );
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();

    const sample = await waitForSample(db, sampleId, ['PROFILED', 'FAILED'], 90_000);
    expect(sample.status).toBe('PROFILED');
    expect(Number(sample.rows)).toBe(40_000);
    expect(workers.map((w) => w.output()).join('')).toMatch(/reconciled the queue with the database/);

    // The same bytes, profiled without any incident, give the same profile.
    const reference = await ingestBytes(db, await insertDataset(db, { name: 'restart-reference' }), readFileSync(file), {
      blockBytes: 1024 * KiB,
    });
    await scheduler.onUploadComplete(reference);
    expect((await waitForSample(db, reference, ['PROFILED', 'FAILED'], 90_000)).status).toBe('PROFILED');
    const profiles = await db.selectFrom('profiles').select(['sample_id', 'profile']).where('sample_id', 'in', [sampleId, reference]).execute();
    const byId = new Map(profiles.map((p) => [p.sample_id, p.profile]));
    expect(byId.get(sampleId)).toEqual(byId.get(reference));
  });
});
