import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { profileFile } from '../../src/profiler/profile-file.js';
import { createDataset, createUpload, createWorkflow, localId, put } from '../api/fixtures.js';
import { backendEnv, BACKENDS } from './support/backends.js';
import { messyCsvFile } from './support/csv-fixtures.js';
import { ingestBytes, insertDataset } from './support/direct-upload.js';
import { activeBlocks, blockProcessors, blockStalls } from './support/job-inspection.js';
import { startPipeline, waitForSample, type Pipeline } from './support/pipeline-harness.js';
import { expectSameProfile } from './support/profile-equality.js';
import { waitFor } from './support/wait-for.js';
import { spawnWorker, type WorkerProcess } from './support/worker-process.js';

const KiB = 1024;

describe.each(BACKENDS)('worker processes on the %s backend', (kind) => {
  let pipeline: Pipeline;
  let processes: WorkerProcess[] = [];

  const spawn = (extra: Record<string, string> = {}): WorkerProcess => {
    const worker = spawnWorker(backendEnv(kind, pipeline.prefix, { DATABASE_URL: pipeline.databaseUrl, WORKER_CONCURRENCY: '1', ...extra }));
    processes.push(worker);
    return worker;
  };
  const workerName = (worker: WorkerProcess) => `${hostname()}:${worker.pid}`;
  const storedStates = async (sampleId: string) =>
    (await pipeline.db.selectFrom('sample_block_states').select('block_index').where('sample_id', '=', sampleId).execute()).map((s) => s.block_index);

  /**
   * The profile of the same bytes uploaded as another sample and profiled by the workers
   * without any disturbance (they must be running), to compare a disturbed run with.
   */
  const undisturbedProfile = async (file: string, name: string): Promise<unknown> => {
    const ids = await insertDataset(pipeline.db, { name });
    const sampleId = await ingestBytes(pipeline.db, ids, readFileSync(file), { blockBytes: 2048 * KiB });
    await pipeline.scheduler.onUploadComplete(sampleId);
    expect((await waitForSample(pipeline.db, sampleId, ['PROFILED', 'FAILED'], 120_000)).status).toBe('PROFILED');
    return (await pipeline.db.selectFrom('profiles').select('profile').where('sample_id', '=', sampleId).executeTakeFirstOrThrow()).profile;
  };

  beforeAll(async () => {
    pipeline = await startPipeline(kind, { workers: false, blockBytes: 256 * KiB });
  });
  afterEach(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    processes = [];
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  it('three worker processes share the blocks of a sample, and its profile equals the single-pass CLI profile', async () => {
    const { api, db, backend } = pipeline;
    const file = messyCsvFile(20_000);
    const workers = [spawn(), spawn(), spawn()];
    const workflowId = await createWorkflow(api, `scale-${kind}`);
    const datasetId = await createDataset(api, workflowId, 'messy');
    const { sampleId, uploadUrl } = await createUpload(api, datasetId, { role: 'PRODUCTION' });
    expect((await put(uploadUrl, readFileSync(file))).status).toBe(200);

    const sample = await waitForSample(db, localId(sampleId), ['PROFILED', 'FAILED'], 120_000);
    expect(sample.status).toBe('PROFILED');
    expect(sample.blocks_total).toBeGreaterThanOrEqual(15);
    const names = await blockProcessors(backend, sample.id, sample.blocks_total!);
    expect(names.every((name) => workers.some((w) => name === workerName(w)))).toBe(true);
    expect(new Set(names).size).toBeGreaterThanOrEqual(2);

    const stored = await db.selectFrom('profiles').select('profile').where('sample_id', '=', sample.id).executeTakeFirstOrThrow();
    const cli = await profileFile(file, { blockBytes: 256 * KiB, threads: 0, asOf: sample.extracted_at });
    expect(Number(sample.rows)).toBe(cli.json.rows);
    expectSameProfile(stored.profile as Record<string, unknown>, cli.json as unknown as Record<string, unknown>);
  });

  it('recovers the block of a worker killed with SIGKILL mid-block; the profile is identical to an undisturbed run', async () => {
    const { db, backend, scheduler } = pipeline;
    const file = messyCsvFile(40_000);
    const ids = await insertDataset(db, { name: `sigkill-${kind}` });
    const sampleId = await ingestBytes(db, ids, readFileSync(file), { blockBytes: 2048 * KiB });
    const victim = spawn();
    await scheduler.onUploadComplete(sampleId);

    // Kill it while it is inside a block: its job is active and that block's state is not stored.
    const killed = await waitFor(
      'the victim to be in the middle of a block',
      async () => {
        const running = (await activeBlocks(backend, sampleId)).find((b) => b.processedBy === workerName(victim));
        if (!running || (await storedStates(sampleId)).includes(running.blockIndex)) return undefined;
        victim.child.kill('SIGKILL');
        return running;
      },
      60_000,
      10,
    );
    await victim.exited;
    expect(await storedStates(sampleId)).not.toContain(killed.blockIndex);

    spawn();
    spawn();
    const sample = await waitForSample(db, sampleId, ['PROFILED', 'FAILED'], 120_000);
    expect(sample.status).toBe('PROFILED');
    const names = await blockProcessors(backend, sampleId, sample.blocks_total!);
    expect(names[killed.blockIndex]).not.toBe(workerName(victim));
    // Taken back by the stalled-job check (the victim's lock expired), not lost and not duplicated.
    expect(await blockStalls(backend, sampleId, killed.blockIndex)).toBeGreaterThanOrEqual(1);
    expect(Number(sample.rows)).toBe(40_000);

    const stored = await db.selectFrom('profiles').select('profile').where('sample_id', '=', sampleId).executeTakeFirstOrThrow();
    expect(stored.profile).toEqual(await undisturbedProfile(file, `sigkill-reference-${kind}`));
    const cli = await profileFile(file, { blockBytes: 2048 * KiB, threads: 0, asOf: sample.extracted_at });
    expectSameProfile(stored.profile as Record<string, unknown>, cli.json as unknown as Record<string, unknown>);
  });

  it('on SIGTERM a worker finishes its block and exits 0; past the deadline it hands the block back', async () => {
    const { db, backend, scheduler } = pipeline;
    const file = messyCsvFile(40_000);
    const ids = await insertDataset(db, { name: `sigterm-${kind}` });
    const sampleId = await ingestBytes(db, ids, readFileSync(file), { blockBytes: 2048 * KiB });
    const patient = spawn();
    const hasty = spawn({ WORKER_SHUTDOWN_TIMEOUT_MS: '1' });
    await scheduler.onUploadComplete(sampleId);

    const running = async (worker: WorkerProcess) => (await activeBlocks(backend, sampleId)).find((b) => b.processedBy === workerName(worker));
    const patientBlock = await waitFor('the patient worker to run a block', () => running(patient), 60_000, 10);
    patient.child.kill('SIGTERM');
    const hastyBlock = await waitFor('the hasty worker to run a block', () => running(hasty), 60_000, 10);
    hasty.child.kill('SIGTERM');
    expect(await patient.exited).toEqual({ code: 0, signal: null });
    expect(await hasty.exited).toEqual({ code: 0, signal: null });
    // The patient worker finished its block before exiting; the hasty one handed its block back.
    expect(await storedStates(sampleId)).toContain(patientBlock.blockIndex);
    expect(hasty.output()).toMatch(/handed back/);

    spawn();
    const sample = await waitForSample(db, sampleId, ['PROFILED', 'FAILED'], 120_000);
    expect(sample.status).toBe('PROFILED');
    const names = await blockProcessors(backend, sampleId, sample.blocks_total!);
    expect(names[patientBlock.blockIndex]).toBe(workerName(patient));
    expect(names[hastyBlock.blockIndex]).not.toBe(workerName(hasty));
    const stored = await db.selectFrom('profiles').select('profile').where('sample_id', '=', sampleId).executeTakeFirstOrThrow();
    expect(stored.profile).toEqual(await undisturbedProfile(file, `sigterm-reference-${kind}`));
  });
});
