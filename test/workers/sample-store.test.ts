import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import type { Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { insertSampleBlock } from '../../src/db/sample-blocks.js';
import { insertSample } from '../../src/db/samples.js';
import { BadInputError } from '../../src/pipeline/bad-input-error.js';
import { settleProfilingError } from '../../src/pipeline/profiling-failure.js';
import { upsertBlockState } from '../../src/db/block-states.js';
import { recordBlockProgress } from '../../src/db/profiling-samples.js';
import { findBlockBytes } from '../../src/db/sample-blocks.js';
import { createTestDatabase, type TestDatabase } from '../api/harness.js';
import { insertDataset } from './support/direct-upload.js';

describe('sample profiling store', () => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  let sampleId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { poolSize: 4 });
    await migrateToLatest(db);
    const ids = await insertDataset(db, { name: 'store' });
    const sample = await insertSample(db, {
      dataset_id: ids.datasetId,
      workflow_id: ids.workflowId,
      role: 'PILOT',
      source: null,
      filename: null,
      extracted_at: new Date(),
    });
    sampleId = sample.id;
    await db.updateTable('samples').set({ status: 'RECEIVED', blocks_total: 8 }).where('id', '=', sampleId).execute();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('reads back exactly the bytes a block was stored with, whatever they are', async () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    const bytes = new Uint8Array(3 * 1024 * 1024 + 7);
    bytes.set(randomBytes(bytes.length));
    bytes.set(every, 1000);
    await insertSampleBlock(db, { sampleId, blockIndex: 0, byteOffset: 5_000_000_123, bytes });
    const read = await findBlockBytes(db, sampleId, 0);
    expect(read?.byteOffset).toBe(5_000_000_123);
    expect(Buffer.compare(Buffer.from(read!.bytes), Buffer.from(bytes))).toBe(0);
    expect(await findBlockBytes(db, sampleId, 1)).toBeUndefined();
  });

  it('keeps one state per block and a progress that never counts a block twice, even when writers race', async () => {
    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 3; round++) {
      for (let block = 0; block < 8; block++) {
        writes.push(upsertBlockState(db, sampleId, block, 10, { round, block }).then(() => recordBlockProgress(db, sampleId)));
      }
    }
    await Promise.all(writes);
    const states = await db.selectFrom('sample_block_states').select(['block_index']).where('sample_id', '=', sampleId).execute();
    expect(states.map((s) => s.block_index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const sample = await db.selectFrom('samples').select(['blocks_done', 'progress', 'status']).where('id', '=', sampleId).executeTakeFirstOrThrow();
    expect(sample).toEqual({ blocks_done: 8, progress: 1, status: 'PROFILING' });
  });

  describe('what a profiling error does to the job and the sample', () => {
    const job = (attemptsMade: number) => ({ id: 'j', data: {}, attemptsMade, opts: { attempts: 3 } });
    let failing: string;

    beforeAll(async () => {
      const ids = await insertDataset(db, { name: 'errors' });
      const make = async () =>
        (await insertSample(db, { dataset_id: ids.datasetId, workflow_id: ids.workflowId, role: 'PILOT', source: null, filename: null, extracted_at: new Date() })).id;
      failing = await make();
      await db.updateTable('samples').set({ status: 'PROFILING', blocks_total: 2 }).where('id', '=', failing).execute();
    });

    const status = async (id: string) =>
      db.selectFrom('samples').select(['status', 'error_code', 'error']).where('id', '=', id).executeTakeFirstOrThrow();

    it('retries a transient fault and fails the sample, saying what kept failing, on the last attempt', async () => {
      const fault = new Error('connection reset by peer');
      await expect(settleProfilingError(db, job(0), { id: failing, status: 'PROFILING' }, 'block 1', fault)).rejects.toBe(fault);
      expect((await status(failing)).status).toBe('PROFILING');
      await expect(settleProfilingError(db, job(2), { id: failing, status: 'PROFILING' }, 'block 1', fault)).rejects.toBe(fault);
      const failed = await status(failing);
      expect(failed).toMatchObject({ status: 'FAILED', error_code: 'PROFILING_FAILED' });
      expect(failed.error).toMatch(/block 1 failed 3 times \(last error: connection reset by peer\)/);
    });

    it('fails bad input at once, without retries, with its own reason', async () => {
      const ids = await insertDataset(db, { name: 'bad-input' });
      const id = (await insertSample(db, { dataset_id: ids.datasetId, workflow_id: ids.workflowId, role: 'PILOT', source: null, filename: null, extracted_at: new Date() })).id;
      await db.updateTable('samples').set({ status: 'RECEIVED', blocks_total: 1 }).where('id', '=', id).execute();
      const bad = new BadInputError('BLOCK_MISSING', 'block 0 of this sample is not stored; upload the file again');
      await expect(settleProfilingError(db, job(0), { id, status: 'RECEIVED' }, 'block 0', bad)).rejects.toMatchObject({
        name: 'UnrecoverableError',
        message: bad.message,
      });
      expect(await status(id)).toMatchObject({ status: 'FAILED', error_code: 'BLOCK_MISSING', error: bad.message });
    });

    it('ends quietly, without retries, when the sample failed or vanished meanwhile', async () => {
      const ids = await insertDataset(db, { name: 'failed-meanwhile' });
      const id = (await insertSample(db, { dataset_id: ids.datasetId, workflow_id: ids.workflowId, role: 'PILOT', source: null, filename: null, extracted_at: new Date() })).id;
      // The job read the sample while RECEIVED; its upload's fate was settled by someone else since.
      await db.updateTable('samples').set({ status: 'FAILED', error_code: 'BINARY_CONTENT', error: 'binary' }).where('id', '=', id).execute();
      const fault = new Error('the state of block 3 disappeared while it was merged');
      expect(await settleProfilingError(db, job(0), { id, status: 'RECEIVED' }, 'block 3', fault)).toEqual({ skipped: 'the sample is FAILED' });
      const missing = new BadInputError('BLOCK_MISSING', 'block 3 of this sample is not stored; upload the file again');
      expect(await settleProfilingError(db, job(0), { id, status: 'RECEIVED' }, 'block 3', missing)).toEqual({ skipped: 'the sample is FAILED' });
      expect(await status(id)).toEqual({ status: 'FAILED', error_code: 'BINARY_CONTENT', error: 'binary' });

      const gone = '00000000-0000-4000-8000-000000000000';
      expect(await settleProfilingError(db, job(0), { id: gone, status: 'PROFILING' }, 'block 0', fault)).toEqual({ skipped: 'the sample no longer exists' });
      expect(await settleProfilingError(db, job(0), { id: gone, status: 'PROFILING' }, 'block 0', missing)).toEqual({ skipped: 'the sample no longer exists' });
    });

    it('defers instead of failing a sample whose upload is still arriving', async () => {
      const ids = await insertDataset(db, { name: 'receiving' });
      const id = (await insertSample(db, { dataset_id: ids.datasetId, workflow_id: ids.workflowId, role: 'PILOT', source: null, filename: null, extracted_at: new Date() })).id;
      await db.updateTable('samples').set({ status: 'RECEIVING' }).where('id', '=', id).execute();
      const bad = new BadInputError('BAD_DIALECT', 'no dialect yet');
      expect(await settleProfilingError(db, job(0), { id, status: 'RECEIVING' }, 'block 0', bad)).toEqual({ deferred: 'no dialect yet' });
      // Read while RECEIVING: still deferred if the upload completed meanwhile.
      await db.updateTable('samples').set({ status: 'RECEIVED' }).where('id', '=', id).execute();
      expect(await settleProfilingError(db, job(0), { id, status: 'RECEIVING' }, 'block 0', bad)).toEqual({ deferred: 'no dialect yet' });
      expect((await status(id)).status).toBe('RECEIVED');
    });
  });
});
