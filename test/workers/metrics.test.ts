import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, createWorkflow, localId, uploadCsv } from '../api/fixtures.js';
import { BACKENDS } from './support/backends.js';
import { ordersCsv } from './support/csv-fixtures.js';
import { startPipeline, waitForSample, type Pipeline } from './support/pipeline-harness.js';
import { waitFor } from './support/wait-for.js';

/** The value of one sample line of a Prometheus text page, or undefined when it is absent. */
function sampleValue(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe.each(BACKENDS)('/metrics with workers on the %s backend', (kind) => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(kind);
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  it('counts job durations by queue, rows and bytes profiled, samples by status and jobs per queue', async () => {
    const { api, db } = pipeline;
    const datasetId = await createDataset(api, await createWorkflow(api, `metrics-${kind}`), 'orders');
    const csv = ordersCsv({ rows: 500, seed: 3, asOf: new Date('2024-05-01T00:00:00Z') });
    const sampleId = await uploadCsv(api, datasetId, csv, 'PILOT');
    const sample = await waitForSample(db, localId(sampleId), ['PROFILED', 'FAILED']);
    expect(sample.status).toBe('PROFILED');

    // A job's completion is counted when the worker hears of it, just after the sample's commit.
    const text = await waitFor('the merge job counted', async () => {
      const page = await (await fetch(`${api.url}/metrics`)).text();
      return sampleValue(page, 'realitycheck_job_duration_seconds_count{queue="merge-profile",outcome="completed"}') ? page : undefined;
    });
    const blocks = sampleValue(text, 'realitycheck_job_duration_seconds_count{queue="profile-block",outcome="completed"}');
    // At least one per block (a block queued early while the upload arrived may run again in the flow).
    expect(blocks).toBeGreaterThanOrEqual(sample.blocks_total!);
    expect(sampleValue(text, 'realitycheck_job_duration_seconds_count{queue="merge-profile",outcome="completed"}')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'realitycheck_rows_profiled_total')).toBe(500);
    expect(sampleValue(text, 'realitycheck_bytes_profiled_total')).toBeGreaterThan(0);
    expect(sampleValue(text, 'realitycheck_samples{status="PROFILED"}')).toBe(1);
    expect(sampleValue(text, 'realitycheck_queue_jobs{queue="profile-block",state="waiting"}')).toBe(0);
    expect(sampleValue(text, 'realitycheck_queue_jobs{queue="compute-report",state="failed"}')).toBe(0);
  });
});
