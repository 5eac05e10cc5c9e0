import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import type { Database, SampleStatus } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import {
  TRANSITIONS,
  canMove,
  claimSampleForUpload,
  failSample,
  insertSample,
  markSampleProfiled,
  markSampleReceived,
  recordBlockProgress,
} from '../../src/db/sample-lifecycle.js';
import { createTestDatabase, type TestDatabase } from '../api/harness.js';
import { insertDataset } from '../workers/support/direct-upload.js';

const STATUSES = Object.keys(TRANSITIONS) as SampleStatus[];

/** The lifecycle write that moves a sample to each status. */
const MOVES: Record<Exclude<SampleStatus, 'AWAITING_UPLOAD'>, (db: Kysely<Database>, id: string, from: SampleStatus) => Promise<unknown>> = {
  RECEIVING: (db, id) => claimSampleForUpload(db, id, { receiverId: null }),
  RECEIVED: (db, id) => markSampleReceived(db, id, { byteSize: 10, sha256: randomUUID(), blocksTotal: 1, dialect: {}, rows: null }),
  PROFILING: (db, id) => recordBlockProgress(db, id),
  PROFILED: (db, id) => markSampleProfiled(db, id, 3),
  // Either stage: a disallowed move must change nothing whichever stage asks for it.
  FAILED: async (db, id, from) => {
    await failSample(db, id, { code: 'TEST', message: 'test failure', stage: from === 'RECEIVING' ? 'upload' : 'profiling' });
    await failSample(db, id, { code: 'TEST', message: 'test failure', stage: from === 'RECEIVING' ? 'profiling' : 'upload' });
  },
};

describe('sample lifecycle, on a real Postgres', () => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  let ids: { datasetId: string; workflowId: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { poolSize: 4 });
    await migrateToLatest(db);
    ids = await insertDataset(db, { name: 'lifecycle' });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  /** A new sample put directly in `status` (the test sets it; the product goes through the lifecycle). */
  async function sampleIn(status: SampleStatus): Promise<string> {
    const sample = await insertSample(db, {
      dataset_id: ids.datasetId,
      workflow_id: ids.workflowId,
      role: 'PILOT',
      source: null,
      filename: null,
      extracted_at: new Date(),
    });
    await db.updateTable('samples').set({ status }).where('id', '=', sample.id).execute();
    return sample.id;
  }

  async function statusOf(id: string): Promise<SampleStatus> {
    const row = await db.selectFrom('samples').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    return row.status;
  }

  const pairs = STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from && to !== 'AWAITING_UPLOAD').map((to) => ({ from, to })));
  const allowed = pairs.filter(({ from, to }) => canMove(from, to));
  const disallowed = pairs.filter(({ from, to }) => !canMove(from, to));

  it('lists the moves of the product', () => {
    expect(allowed.map(({ from, to }) => `${from}->${to}`)).toEqual([
      'AWAITING_UPLOAD->RECEIVING',
      'RECEIVING->RECEIVED',
      'RECEIVING->FAILED',
      'RECEIVED->PROFILING',
      'RECEIVED->PROFILED',
      'RECEIVED->FAILED',
      'PROFILING->PROFILED',
      'PROFILING->FAILED',
    ]);
  });

  it.each(allowed)('moves a sample from $from to $to', async ({ from, to }) => {
    const id = await sampleIn(from);
    await MOVES[to as keyof typeof MOVES](db, id, from);
    expect(await statusOf(id)).toBe(to);
  });

  it.each(disallowed)('leaves a sample $from when asked to move it to $to', async ({ from, to }) => {
    const id = await sampleIn(from);
    const before = await db.selectFrom('samples').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await MOVES[to as keyof typeof MOVES](db, id, from);
    const after = await db.selectFrom('samples').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after.status).toBe(from);
    // Nothing else changes either, except the progress bookkeeping of a sample whose blocks are still profiled.
    if (to !== 'PROFILING') expect(after).toEqual(before);
  });
});
