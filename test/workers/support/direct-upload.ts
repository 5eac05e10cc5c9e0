import type { Kysely } from 'kysely';
import type { Database } from '../../../src/db/database.js';
import { insertSample } from '../../../src/db/samples.js';
import { ingestSample } from '../../../src/ingest/ingest-sample.js';
import { createNoopScheduler, type ProfilingScheduler } from '../../../src/ingest/profiling-scheduler.js';
import { createSilentLogger } from '../../../src/platform/logger.js';

/** Inserts an owner, a workflow and a dataset straight into the database; returns their ids. */
export async function insertDataset(
  db: Kysely<Database>,
  options: { name: string; weight?: number; rawRetention?: string } = { name: 'dataset' },
): Promise<{ workflowId: string; datasetId: string }> {
  const owner = await db.insertInto('owners').values({ name: `${options.name} owner`, contact: null }).returning('id').executeTakeFirstOrThrow();
  const workflow = await db
    .insertInto('workflows')
    .values({ owner_id: owner.id, name: options.name, description: null, score: null, score_updated_at: null, ...(options.rawRetention ? { raw_retention: options.rawRetention } : {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const dataset = await db
    .insertInto('datasets')
    .values({ workflow_id: workflow.id, name: options.name, ...(options.weight === undefined ? {} : { weight: options.weight }) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { workflowId: workflow.id, datasetId: dataset.id };
}

/**
 * Uploads bytes through the real ingest function (the path both upload routes take), with the
 * given scheduler (default: none, so nothing is queued). Returns the sample id.
 */
export async function ingestBytes(
  db: Kysely<Database>,
  ids: { workflowId: string; datasetId: string },
  bytes: Uint8Array | string,
  options: { role?: 'PILOT' | 'PRODUCTION'; blockBytes?: number; scheduler?: ProfilingScheduler; extractedAt?: Date } = {},
): Promise<string> {
  const sample = await insertSample(db, {
    dataset_id: ids.datasetId,
    workflow_id: ids.workflowId,
    role: options.role ?? 'PILOT',
    source: null,
    filename: 'test.csv',
    extracted_at: options.extractedAt ?? new Date('2024-05-01T00:00:00Z'),
  });
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  await ingestSample({
    db,
    scheduler: options.scheduler ?? createNoopScheduler(),
    logger: createSilentLogger(),
    sampleId: sample.id,
    source: (async function* () {
      for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
    })(),
    limits: {
      maxBytes: 1 << 30,
      maxBytesSetting: 'UPLOAD_MAX_BYTES',
      blockBytes: options.blockBytes ?? 16 * 1024,
      maxColumns: 1000,
      maxRecordBytes: 1 << 20,
    },
  });
  return sample.id;
}
