import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/graphql/global-id.js';
import { createDataset, createWorkflow, localId, ok, uploadCsv } from '../api/fixtures.js';
import { createRandom } from '../support/random.js';
import { BACKENDS } from './support/backends.js';
import { ordersCsv } from './support/csv-fixtures.js';
import { startPipeline, waitForSample, type Pipeline } from './support/pipeline-harness.js';
import { waitFor } from './support/wait-for.js';

/** `columns` columns of random 40-letter words and decimals, about `bytes` long: many distinct cells per block. */
function wideCsv(columns: number, bytes: number, seed: number): string {
  const random = createRandom(seed);
  const lines = [Array.from({ length: columns }, (_, j) => `c${j}`).join(',')];
  let length = 0;
  while (length < bytes) {
    const cells: string[] = [];
    for (let j = 0; j < columns; j++) {
      if (j % 2) cells.push((random.next() * 1e6).toFixed(4));
      else cells.push(Array.from({ length: 40 }, () => String.fromCharCode(97 + random.int(26))).join(''));
    }
    const line = cells.join(',');
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

// A profiling thread that runs out of memory fails its sample with the figures, without retries,
// and nothing else: the worker (this very process) goes on profiling other samples.
describe.each(BACKENDS)('a job that outgrows its thread, on the %s backend', (kind) => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    // The smallest heap a thread may be given: a 1,000-column block of 8 MiB needs about 160 MiB.
    pipeline = await startPipeline(kind, { blockBytes: 8 * 1024 * 1024, jobs: { threadHeapMaxMb: 64 } });
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  it('fails the sample with SAMPLE_TOO_WIDE naming the block, width and limit, leaves no raw data, and the worker profiles the next sample', async () => {
    const { api, db } = pipeline;
    const datasetId = await createDataset(api, await createWorkflow(api, `wide-${kind}`), 'wide');
    const wideId = localId(await uploadCsv(api, datasetId, wideCsv(1000, 6 * 1024 * 1024, 7), 'PILOT'));
    const failed = await waitForSample(db, wideId, ['PROFILED', 'FAILED'], 120_000);
    expect(failed.status).toBe('FAILED');
    expect(failed.error_code).toBe('SAMPLE_TOO_WIDE');
    expect(failed.error).toMatch(/^profiling block 0 \([\d.]+ MiB, 1,000 columns\) needed more than the 64 MiB of memory a worker thread may use \(WORKER_THREAD_HEAP_MAX_MB = 64\)/);
    const left = await db.selectFrom('sample_blocks').select('block_index').where('sample_id', '=', wideId).execute();
    expect(left).toEqual([]);
    // The job failed for good at its first attempt: it was not retried into the same death.
    const failures = await waitFor('the block job to fail', async () => {
      const values = (await pipeline.metrics.jobFailures.get()).values.filter((v) => v.labels.queue === 'profile-block');
      return values.length > 0 ? values : undefined;
    });
    expect(failures.map((v) => [v.labels.final, v.value])).toEqual([['true', 1]]);

    // The same service profiles an ordinary file afterwards, and says why the wide one failed over GraphQL.
    const narrowId = localId(await uploadCsv(api, datasetId, ordersCsv({ rows: 500, seed: 3, asOf: new Date('2024-05-01T00:00:00Z') }), 'PRODUCTION'));
    expect((await waitForSample(db, narrowId, ['PROFILED', 'FAILED'])).status).toBe('PROFILED');
    const answer = ok(await api.gql<any>(`query($id: ID!) { node(id: $id) { ... on Sample { status error errorCode } } }`, { id: encodeGlobalId('Sample', wideId) }));
    expect(answer.node.status).toBe('FAILED');
    expect(answer.node.errorCode).toBe('SAMPLE_TOO_WIDE');
    expect(answer.node.error).toBe(failed.error);
  });
});
