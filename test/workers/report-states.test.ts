import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, createUpload, createWorkflow, ok, put } from '../api/fixtures.js';
import { BACKENDS } from './support/backends.js';
import { ordersCsv } from './support/csv-fixtures.js';
import { startPipeline, type Pipeline } from './support/pipeline-harness.js';
import { waitFor } from './support/wait-for.js';

const AS_OF = new Date('2024-05-01T00:00:00Z');

const STATE = `query($d: ID!) {
  dataset(id: $d) {
    reportError { code message sample { id } }
    latestReport { id stale staleReason { code } pilotSamples { id } productionSample { id } }
  }
}`;

describe.each(BACKENDS)('report states through the workers, on the %s backend', (kind) => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline(kind);
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  const upload = async (dataset: string, csv: string, role: 'PILOT' | 'PRODUCTION') => {
    const { sampleId, uploadUrl } = await createUpload(pipeline.api, dataset, { role });
    expect((await put(uploadUrl, csv)).status).toBe(200);
    return sampleId;
  };
  const state = async (dataset: string) => ok(await pipeline.api.gql<any>(STATE, { d: dataset })).dataset;

  it('records a pilot with other columns on the dataset, and deactivating it computes a new report and clears the error', async () => {
    const dataset = await createDataset(pipeline.api, await createWorkflow(pipeline.api, `report-states-${kind}`), 'orders');
    const pilot = await upload(dataset, ordersCsv({ rows: 300, seed: 1, asOf: AS_OF }), 'PILOT');
    const production = await upload(dataset, ordersCsv({ rows: 250, seed: 2, asOf: AS_OF }), 'PRODUCTION');
    const first = await waitFor('the first report', async () => {
      const s = await state(dataset);
      return s.latestReport?.productionSample?.id === production && s.latestReport.pilotSamples.length === 1 ? s : undefined;
    });
    expect(first.latestReport.stale).toBe(false);

    // A PILOT without the status column: the report job fails for good and says why on the dataset.
    const odd = await upload(dataset, ordersCsv({ rows: 200, seed: 3, asOf: AS_OF, withoutStatus: true }), 'PILOT');
    const broken = await waitFor('the report error', async () => {
      const s = await state(dataset);
      return s.reportError ? s : undefined;
    });
    expect(broken.reportError).toMatchObject({ code: 'PILOT_COLUMNS_DIFFER', sample: { id: odd } });
    expect(broken.reportError.message).toMatch(/it lacks "status".*deactivateSample/);
    expect(broken.latestReport).toMatchObject({ id: first.latestReport.id, stale: true, staleReason: { code: 'PILOT_COLUMNS_DIFFER' } });

    // Deactivating it queues a report at once; the workers compute it and the error goes.
    ok(await pipeline.api.gql(`mutation($id: ID!) { deactivateSample(input: { id: $id }) { changed } }`, { id: odd }));
    const fixed = await waitFor('a new report without error', async () => {
      const s = await state(dataset);
      return s.reportError === null && s.latestReport.id !== first.latestReport.id ? s : undefined;
    });
    expect(fixed.latestReport).toMatchObject({ stale: false, pilotSamples: [{ id: pilot }], productionSample: { id: production } });
  });
});
