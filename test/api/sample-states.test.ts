import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfilingScheduler } from '../../src/ingest/profiling-scheduler.js';
import { computeRealityReport } from '../../src/pipeline/compute-reality-report.js';
import { mergeSampleProfile } from '../../src/pipeline/merge-sample-profile.js';
import { createDataset, createUpload, createWorkflow, localId, ok, put, uploadCsv } from './fixtures.js';
import { errorCodes, startTestApi, type TestApi } from './harness.js';

/** Report requests the API hands to the scheduler, as the queue would receive them. */
const requests: Array<{ datasetId: string; sampleId: string; requestedAt: Date }> = [];
const scheduler: ProfilingScheduler = {
  onBlockStored: async () => {},
  onUploadComplete: async () => {},
  onReportRequested: async (datasetId, sampleId, requestedAt) => {
    requests.push({ datasetId, sampleId, requestedAt });
  },
  close: async () => {},
};

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ scheduler });
});
afterAll(async () => {
  await api?.close();
});

function rows(header: string, n: number, seed: string): string {
  const lines = [header];
  for (let i = 0; i < n; i++) lines.push(`${i},${seed}${i % 7},${(i * 13) % 101}`);
  return lines.join('\n') + '\n';
}

/** Uploads CSV text and profiles it as a worker would (the merge profiles every block itself). */
async function profiled(dataset: string, csv: string, role: 'PILOT' | 'PRODUCTION'): Promise<string> {
  const sample = await uploadCsv(api, dataset, csv, role);
  expect(await mergeSampleProfile(api.db, localId(sample))).toMatchObject({ kind: 'profiled' });
  return sample;
}

const DATASET_STATE = `query($d: ID!) {
  dataset(id: $d) {
    reportError { code message at sample { id filename } }
    latestReport { id stale staleReason { code message } pilotSamples { id } productionSample { id } }
    reports { edges { node { id } } }
  }
}`;

async function datasetState(dataset: string) {
  return ok(await api.gql<any>(DATASET_STATE, { d: dataset })).dataset;
}

async function report(dataset: string) {
  return computeRealityReport(api.db, localId(dataset));
}

describe('a pilot with other columns, then deactivated', () => {
  it('marks the dataset with the reason and the report stale, and a new report clears both', async () => {
    const dataset = await createDataset(api, await createWorkflow(api, 'Odd pilot'), 'orders');
    const pilot = await profiled(dataset, rows('id,country,amount', 60, 'c'), 'PILOT');
    const production = await profiled(dataset, rows('id,country,amount', 50, 'p'), 'PRODUCTION');
    expect(await report(dataset)).toMatchObject({ kind: 'reported' });
    const first = await datasetState(dataset);
    expect(first.reportError).toBeNull();
    expect(first.latestReport).toMatchObject({ stale: false, staleReason: null, productionSample: { id: production } });

    // A PILOT with another header: no baseline can be merged.
    const odd = await uploadCsv(api, dataset, rows('id,city,amount', 40, 'x'), 'PILOT');
    await api.db.updateTable('samples').set({ filename: 'odd-pilot.csv' }).where('id', '=', localId(odd)).execute();
    expect(await mergeSampleProfile(api.db, localId(odd))).toMatchObject({ kind: 'profiled' });
    const failed = await report(dataset);
    expect(failed).toMatchObject({ kind: 'failed', error: { code: 'PILOT_COLUMNS_DIFFER', sampleId: localId(odd) } });

    const broken = await datasetState(dataset);
    expect(broken.reportError).toMatchObject({ code: 'PILOT_COLUMNS_DIFFER', sample: { id: odd, filename: 'odd-pilot.csv' } });
    expect(broken.reportError.message).toMatch(/"odd-pilot\.csv".*it lacks "country"; it has "city" in addition.*deactivate the odd sample \(deactivateSample\)/);
    expect(broken.latestReport.id).toBe(first.latestReport.id);
    expect(broken.latestReport.stale).toBe(true);
    expect(broken.latestReport.staleReason.code).toBe('PILOT_COLUMNS_DIFFER');
    expect(broken.latestReport.staleReason.message).toMatch(/no report could be computed since .*odd-pilot\.csv/);

    // Production profiled while no report can be computed: still served, still stale.
    const newer = await profiled(dataset, rows('id,country,amount', 45, 'q'), 'PRODUCTION');
    expect(await report(dataset)).toMatchObject({ kind: 'failed' });
    expect((await datasetState(dataset)).latestReport.stale).toBe(true);

    // Deactivate the odd pilot: a report is asked for at once, and the report is pending until computed.
    const deactivated = ok(
      await api.gql<any>(
        `mutation($id: ID!) { deactivateSample(input: { id: $id }) { changed sample { id active } dataset { latestReport { stale staleReason { code } } } } }`,
        { id: odd },
      ),
    ).deactivateSample;
    expect(deactivated).toMatchObject({ changed: true, sample: { id: odd, active: false } });
    expect(deactivated.dataset.latestReport).toEqual({ stale: true, staleReason: { code: 'PILOT_COLUMNS_DIFFER' } });
    expect(requests.at(-1)).toMatchObject({ datasetId: localId(dataset), sampleId: localId(odd) });

    expect(await report(dataset)).toMatchObject({ kind: 'reported' });
    const fixed = await datasetState(dataset);
    expect(fixed.reportError).toBeNull();
    expect(fixed.latestReport).toMatchObject({ stale: false, staleReason: null, pilotSamples: [{ id: pilot }], productionSample: { id: newer } });
    expect(fixed.reports.edges).toHaveLength(2);
    // The superseded report says so.
    const old = ok(await api.gql<any>(`query($r: ID!) { realityReport(id: $r) { stale staleReason { code } } }`, { r: first.latestReport.id })).realityReport;
    expect(old).toEqual({ stale: true, staleReason: { code: 'SUPERSEDED' } });

    // Deactivating again changes nothing and asks for nothing.
    const count = requests.length;
    const again = ok(await api.gql<any>(`mutation($id: ID!) { deactivateSample(input: { id: $id }) { changed } }`, { id: odd })).deactivateSample;
    expect(again.changed).toBe(false);
    expect(requests).toHaveLength(count);
  });
});

describe('samples that change after a report', () => {
  let dataset: string;
  let pilot: string;
  let production: string;

  beforeAll(async () => {
    dataset = await createDataset(api, await createWorkflow(api, 'Changes'), 'events');
    pilot = await profiled(dataset, rows('id,kind,size', 80, 'k'), 'PILOT');
    production = await profiled(dataset, rows('id,kind,size', 70, 'm'), 'PRODUCTION');
    expect(await report(dataset)).toMatchObject({ kind: 'reported' });
  });

  it('marks the report stale when a production sample is profiled after it, until the next report', async () => {
    const newer = await profiled(dataset, rows('id,kind,size', 65, 'n'), 'PRODUCTION');
    const state = await datasetState(dataset);
    expect(state.reportError).toBeNull();
    expect(state.latestReport.staleReason.code).toBe('SAMPLES_CHANGED');
    expect(state.latestReport.staleReason.message).toContain(`PRODUCTION sample ${newer} is the newest active one now`);
    expect(await report(dataset)).toMatchObject({ kind: 'reported' });
    expect((await datasetState(dataset)).latestReport).toMatchObject({ stale: false, productionSample: { id: newer } });
  });

  it('deletes a production sample with its blocks, profile and the reports that compared it, and recomputes the workflow score', async () => {
    const latest = (await datasetState(dataset)).latestReport;
    const doomed = latest.productionSample.id;
    const deleted = ok(
      await api.gql<any>(
        `mutation($id: ID!) { deleteSample(input: { id: $id }) { deletedSampleId reportsDeleted dataset { id latestReport { id stale staleReason { code } } } } }`,
        { id: doomed },
      ),
    ).deleteSample;
    expect(deleted).toMatchObject({ deletedSampleId: doomed, reportsDeleted: 1, dataset: { id: dataset } });
    // The report before it (comparing the first production sample) is the latest again, pending a new one.
    expect(deleted.dataset.latestReport.id).not.toBe(latest.id);
    expect(deleted.dataset.latestReport).toMatchObject({ stale: true, staleReason: { code: 'REPORT_PENDING' } });
    for (const table of ['samples', 'profiles', 'sample_blocks', 'sample_block_states'] as const) {
      const column = table === 'samples' ? 'id' : 'sample_id';
      const n = await api.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).where(column, '=', localId(doomed)).executeTakeFirstOrThrow();
      expect(n.n, table).toBe(0);
    }
    expect(errorCodes(await api.gql(`query($id: ID!) { sample(id: $id) { id } }`, { id: doomed }))).toEqual(['NOT_FOUND']);
    const workflow = await api.db
      .selectFrom('datasets as d')
      .innerJoin('workflows as w', 'w.id', 'd.workflow_id')
      .select('w.score')
      .where('d.id', '=', localId(dataset))
      .executeTakeFirstOrThrow();
    const remaining = await api.db.selectFrom('reality_reports').select('score').where('id', '=', localId(deleted.dataset.latestReport.id)).executeTakeFirstOrThrow();
    expect(workflow.score).toBeCloseTo(remaining.score!, 4);

    // The requested report is computed even though it compares the samples of the latest one.
    expect(await report(dataset)).toMatchObject({ kind: 'reported' });
    const after = await datasetState(dataset);
    expect(after.latestReport).toMatchObject({ stale: false, productionSample: { id: production }, pilotSamples: [{ id: pilot }] });
    expect(after.reports.edges).toHaveLength(2);
  });

  it('deactivating the only pilot leaves no baseline: NO_PILOT on the dataset; reactivating it reports again', async () => {
    ok(await api.gql(`mutation($id: ID!) { deactivateSample(input: { id: $id }) { changed } }`, { id: pilot }));
    expect(await report(dataset)).toMatchObject({ kind: 'skipped' });
    const state = await datasetState(dataset);
    expect(state.reportError).toMatchObject({ code: 'NO_PILOT', sample: null });
    expect(state.reportError.message).toMatch(/reactivate one \(reactivateSample\)/);
    expect(state.latestReport.staleReason.code).toBe('NO_PILOT');

    const reactivated = ok(await api.gql<any>(`mutation($id: ID!) { reactivateSample(input: { id: $id }) { changed sample { active } } }`, { id: pilot }));
    expect(reactivated.reactivateSample).toEqual({ changed: true, sample: { active: true } });
    expect(await report(dataset)).toMatchObject({ kind: 'reported' });
    const back = await datasetState(dataset);
    expect(back.reportError).toBeNull();
    expect(back.latestReport.stale).toBe(false);
  });

  it('refuses to delete a sample whose upload is arriving (CONFLICT), and deletes a failed one', async () => {
    const { sampleId } = await createUpload(api, dataset);
    await api.db.updateTable('samples').set({ status: 'RECEIVING' }).where('id', '=', localId(sampleId)).execute();
    const refused = await api.gql(`mutation($id: ID!) { deleteSample(input: { id: $id }) { deletedSampleId } }`, { id: sampleId });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0].message).toMatch(/RECEIVING/);

    await api.db.updateTable('samples').set({ status: 'FAILED', error: 'gone', error_code: 'UPLOAD_ABORTED' }).where('id', '=', localId(sampleId)).execute();
    const deleted = ok(await api.gql<any>(`mutation($id: ID!) { deleteSample(input: { id: $id }) { deletedSampleId reportsDeleted } }`, { id: sampleId }));
    expect(deleted.deleteSample).toEqual({ deletedSampleId: sampleId, reportsDeleted: 0 });
  });
});

describe('a file with an unterminated quote', () => {
  it('reports the parse problem on the sample once profiled', async () => {
    const dataset = await createDataset(api, await createWorkflow(api, 'Quotes'), 'notes');
    const sample = await uploadCsv(api, dataset, 'id,note\n1,fine\n2,"never closed\n3,more\n', 'PRODUCTION');
    const before = ok(await api.gql<any>(`query($id: ID!) { sample(id: $id) { parseErrorCount parseErrors { row code } } }`, { id: sample })).sample;
    expect(before).toEqual({ parseErrorCount: null, parseErrors: [] });
    expect(await mergeSampleProfile(api.db, localId(sample))).toMatchObject({ kind: 'profiled' });
    const after = ok(await api.gql<any>(`query($id: ID!) { sample(id: $id) { status parseErrorCount parseErrors { row code message } } }`, { id: sample })).sample;
    expect(after.status).toBe('PROFILED');
    expect(after.parseErrorCount).toBe(1);
    expect(after.parseErrors).toEqual([{ row: 2, code: 'MissingQuotes', message: expect.stringMatching(/quote/i) }]);
  });
});

describe('PUT to an upload URL whose upload is done', () => {
  it('answers 409 naming the state when the file was received', async () => {
    const dataset = await createDataset(api, await createWorkflow(api, 'Twice'), 'twice');
    const { uploadUrl } = await createUpload(api, dataset);
    expect((await put(uploadUrl, 'a,b\n1,2\n')).status).toBe(200);
    const again = await put(uploadUrl, 'a,b\n1,2\n');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/is RECEIVED: its file was already uploaded/);
  });
});
