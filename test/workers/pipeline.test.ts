import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeProfileJobId } from '../../src/queue/job-ids.js';
import { jobOptions } from '../../src/queue/job-options.js';
import { addProfileFlow } from '../../src/pipeline/profile-flow.js';
import { APPLY_RETENTION_QUEUE, MERGE_PROFILE_QUEUE } from '../../src/queue/queue-names.js';
import { compareSnapshots } from '../../src/engine/compare/compare-snapshots.js';
import type { Finding, RealityReport } from '../../src/engine/compare/reality-report.js';
import { DatasetState, type DatasetStateJson } from '../../src/engine/profile/dataset-state.js';
import { finalizeDataset } from '../../src/engine/profile/finalize.js';
import { computeRealityReport } from '../../src/pipeline/compute-reality-report.js';
import { contractSettings, readDialect } from '../../src/pipeline/profile-settings.js';
import { finalizeOptions } from '../../src/profiler/finalize-options.js';
import { profileBytes } from '../../src/profiler/profile-file.js';
import { processProfileBlock } from '../../workers/processors/profile-block.js';
import { createDataset, createUpload, createWorkflow, localId, ok, put, uploadCsv } from '../api/fixtures.js';
import { BACKENDS } from './support/backends.js';
import { ordersCsv } from './support/csv-fixtures.js';
import { ingestBytes, insertDataset } from './support/direct-upload.js';
import { startPipeline, waitForSample, type Pipeline } from './support/pipeline-harness.js';
import { waitFor } from './support/wait-for.js';

const AS_OF = new Date('2024-05-01T00:00:00Z');

/** A job as a worker thread would receive it, for calling a processor directly. */
function fakeJob(data: unknown, attemptsMade = 0) {
  return { id: 'direct', data, attemptsMade, opts: { attempts: 3 } };
}

describe.each(BACKENDS)('pipeline on the %s backend', (kind) => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline(kind);
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  describe('upload → profile → report, over the real API', () => {
    let workflowId: string;
    let ordersId: string;
    let firstReportScore: number;

    it('profiles a pilot and a production upload and reports the gap over GraphQL', async () => {
      const { api, db } = pipeline;
      workflowId = await createWorkflow(api, `orders-${kind}`);
      ordersId = await createDataset(api, workflowId, 'orders');
      // Pilot: complete. Production: 40% of countries empty, and no `status` column.
      const pilotCsv = ordersCsv({ rows: 2000, seed: 1, asOf: AS_OF });
      const productionCsv = ordersCsv({ rows: 2000, seed: 2, asOf: AS_OF, emptyCountryShare: 0.4, withoutStatus: true });
      const pilotId = await uploadCsv(api, ordersId, pilotCsv, 'PILOT');
      const productionId = await uploadCsv(api, ordersId, productionCsv, 'PRODUCTION');

      const pilot = await waitForSample(db, localId(pilotId), ['PROFILED', 'FAILED']);
      const production = await waitForSample(db, localId(productionId), ['PROFILED', 'FAILED']);
      expect(pilot.status).toBe('PROFILED');
      expect(production.status).toBe('PROFILED');
      expect(Number(pilot.rows)).toBe(2000);
      expect(pilot.blocks_total).toBeGreaterThan(3);
      expect(pilot.blocks_done).toBe(pilot.blocks_total);
      expect(pilot.progress).toBe(1);

      const dataset = await waitFor('the first report', async () => {
        const data = ok(
          await api.gql<any>(
            `query($id: ID!) { node(id: $id) { ... on Dataset {
                latestReport { score drsVersion confidence productionSample { id } pilotSamples { id } }
                findings(first: 50) { edges { node { code column status severity } } }
              } } }`,
            { id: ordersId },
          ),
        );
        // The report and its findings are written in one transaction, but GraphQL resolves the two
        // fields with separate reads: findings read just before that commit and the report just after
        // it show the report without its findings.
        return data.node.latestReport && data.node.findings.edges.length > 0 ? data.node : undefined;
      });
      firstReportScore = dataset.latestReport.score;
      expect(firstReportScore).toBeGreaterThanOrEqual(0);
      expect(firstReportScore).toBeLessThan(100);
      expect(dataset.latestReport.confidence).toBe('normal');
      expect(dataset.latestReport.productionSample.id).toBe(productionId);
      expect(dataset.latestReport.pilotSamples.map((s: { id: string }) => s.id)).toEqual([pilotId]);
      const findings = dataset.findings.edges.map((e: any) => e.node);
      expect(findings).toContainEqual(expect.objectContaining({ code: 'NULL_RATE_INCREASE', column: 'country', status: 'OPEN' }));
      expect(findings).toContainEqual(expect.objectContaining({ code: 'COLUMN_MISSING', column: 'status', status: 'OPEN' }));

      const sample = ok(
        await api.gql<any>(`query($id: ID!) { sample(id: $id) { status progress rows profile { rows columns { name completeness } } } }`, {
          id: productionId,
        }),
      ).sample;
      expect(sample).toMatchObject({ status: 'PROFILED', progress: 1, rows: 2000 });
      const country = sample.profile.columns.find((c: { name: string }) => c.name === 'country');
      const emptyShare = productionCsv.split('\n').slice(1, -1).filter((line) => line.split(',')[1] === '').length / 2000;
      expect(country.completeness).toBeCloseTo(1 - emptyShare, 10);
      const workflow = ok(await api.gql<any>(`query($id: ID!) { workflow(id: $id) { score } }`, { id: workflowId })).workflow;
      expect(workflow.score).toBeCloseTo(firstReportScore, 4);

      // Roles and bounds reach GraphQL; the report's columns add up to the score in hundredths.
      const served = ok(
        await api.gql<any>(
          `query($s: ID!, $d: ID!) {
             sample(id: $s) { profile { columns { name role roleReason distinct distinctExact distinctBounds topValuesExact } } }
             dataset(id: $d) { latestReport { score dimensions { completeness format freshness schema distribution }
               columns { name status role roleReason pointsLost pointsLostByDimension { completeness format freshness schema distribution } } } } }`,
          { s: productionId, d: ordersId },
        ),
      );
      for (const c of served.sample.profile.columns) {
        expect(['identifier', 'free_text', 'categorical', 'numeric', 'temporal']).toContain(c.role);
        expect(c.roleReason.length).toBeGreaterThan(0);
        expect(c.distinctBounds.low).toBeLessThanOrEqual(c.distinct);
        expect(c.distinctBounds.high).toBeGreaterThanOrEqual(c.distinct);
      }
      const report = served.dataset.latestReport;
      const hundredths = (x: number) => Math.round(x * 100);
      expect(Math.abs(report.score * 100 - hundredths(report.score))).toBeLessThan(1e-6);
      for (const d of Object.values(report.dimensions) as Array<number | null>) if (d !== null) expect(Math.abs(d * 100 - hundredths(d))).toBeLessThan(1e-6);
      const lost = report.columns.reduce((sum: number, c: any) => sum + hundredths(c.pointsLost), 0);
      expect(lost).toBe(10_000 - hundredths(report.score));
      for (const c of report.columns) {
        const byDimension = Object.values(c.pointsLostByDimension) as number[];
        expect(byDimension.reduce((sum, x) => sum + hundredths(x), 0)).toBe(hundredths(c.pointsLost));
      }
    });

    it('keeps the identity, status and assignee of persisting findings and resolves vanished ones', async () => {
      const { api, db } = pipeline;
      const before = ok(
        await api.gql<any>(`query($id: ID!) { node(id: $id) { ... on Dataset { findings(first: 50) { edges { node { id code column } } } } } }`, {
          id: ordersId,
        }),
      ).node.findings.edges.map((e: any) => e.node);
      const missing = before.find((f: any) => f.code === 'COLUMN_MISSING' && f.column === 'status');
      const nulls = before.find((f: any) => f.code === 'NULL_RATE_INCREASE' && f.column === 'country');
      ok(
        await api.gql(`mutation($id: ID!) { updateFinding(input: { id: $id, status: ACKNOWLEDGED, assignee: "dana" }) { finding { id } } }`, {
          id: missing.id,
        }),
      );

      // The next production extract has its countries back, but still no `status` column.
      const fixedId = await uploadCsv(api, ordersId, ordersCsv({ rows: 2000, seed: 3, asOf: AS_OF, withoutStatus: true }), 'PRODUCTION');
      await waitForSample(db, localId(fixedId), ['PROFILED']);
      await waitFor('the second report', async () => {
        const n = await db.selectFrom('reality_reports').select(sql<number>`count(*)::int`.as('n')).where('dataset_id', '=', localId(ordersId)).executeTakeFirstOrThrow();
        return n.n === 2 || undefined;
      });
      const after = ok(
        await api.gql<any>(
          `query($id: ID!) { node(id: $id) { ... on Dataset {
              latestReport { id productionSample { id } }
              findings(first: 50) { edges { node { id code column status assignee resolvedAt lastReport { id } } } }
            } } }`,
          { id: ordersId },
        ),
      ).node;
      expect(after.latestReport.productionSample.id).toBe(fixedId);
      const stillMissing = after.findings.edges.map((e: any) => e.node).find((f: any) => f.id === missing.id);
      expect(stillMissing).toMatchObject({ code: 'COLUMN_MISSING', status: 'ACKNOWLEDGED', assignee: 'dana', resolvedAt: null });
      expect(stillMissing.lastReport.id).toBe(after.latestReport.id);
      const resolved = after.findings.edges.map((e: any) => e.node).find((f: any) => f.id === nulls.id);
      expect(resolved.status).toBe('RESOLVED');
      expect(resolved.resolvedAt).not.toBeNull();
      // One row per (dataset, fingerprint): no duplicate of the persisting finding.
      expect(after.findings.edges.filter((e: any) => e.node.code === 'COLUMN_MISSING' && e.node.column === 'status')).toHaveLength(1);
    });

    it("sets the workflow score to the weighted mean of its datasets' latest scores", async () => {
      const { api, db } = pipeline;
      const data = ok(
        await api.gql<any>(`mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "customers", weight: 3 }) { dataset { id } } }`, {
          w: workflowId,
        }),
      );
      const customersId = data.createDataset.dataset.id;
      const pilotId = await uploadCsv(api, customersId, ordersCsv({ rows: 1000, seed: 10, asOf: AS_OF }), 'PILOT');
      const productionId = await uploadCsv(api, customersId, ordersCsv({ rows: 1000, seed: 11, asOf: AS_OF, emptyCountryShare: 0.1 }), 'PRODUCTION');
      await waitForSample(db, localId(pilotId), ['PROFILED']);
      await waitForSample(db, localId(productionId), ['PROFILED']);
      const result = await waitFor('both datasets reported and the score updated', async () => {
        const r = ok(
          await api.gql<any>(
            `query($id: ID!) { workflow(id: $id) { score datasets(first: 10) { edges { node { name weight latestReport { score } } } } } }`,
            { id: workflowId },
          ),
        ).workflow;
        const scored = r.datasets.edges.map((e: any) => e.node).filter((d: any) => d.latestReport);
        return scored.length === 2 ? r : undefined;
      });
      const datasets = result.datasets.edges.map((e: any) => e.node);
      const expected =
        datasets.reduce((sum: number, d: any) => sum + d.weight * d.latestReport.score, 0) / datasets.reduce((sum: number, d: any) => sum + d.weight, 0);
      expect(datasets.map((d: any) => d.weight).sort()).toEqual([1, 3]);
      await waitFor('the workflow score to include both datasets', async () => {
        const score = ok(await api.gql<any>(`query($id: ID!) { workflow(id: $id) { score } }`, { id: workflowId })).workflow.score;
        return Math.abs(score - expected) < 1e-3 || undefined;
      });
    });
  });

  it('fails a file with binary content after its first blocks, with a reason a person understands', async () => {
    const { api, db, backend } = pipeline;
    const workflowId = await createWorkflow(api, `binary-${kind}`);
    const datasetId = await createDataset(api, workflowId, 'exports');
    // A clean CSV with a zip archive appended: the start is fine (the upload accepts it), block 5+ is binary.
    const head = new TextEncoder().encode(ordersCsv({ rows: 1500, seed: 4, asOf: AS_OF }));
    const tail = new Uint8Array(4096);
    tail.set([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);
    const bytes = new Uint8Array(head.length + tail.length);
    bytes.set(head);
    bytes.set(tail, head.length);
    const { sampleId, uploadUrl } = await createUpload(api, datasetId, { role: 'PILOT' });
    const response = await put(uploadUrl, bytes);
    expect(response.status).toBe(200);

    const failed = await waitForSample(db, localId(sampleId), ['FAILED', 'PROFILED']);
    expect(failed.status).toBe('FAILED');
    expect(failed.error_code).toBe('BINARY_CONTENT');
    expect(failed.error).toContain(`byte ${head.length + 5}`); // the first NUL of the appended bytes
    expect(failed.error).toMatch(/not delimited text/);
    // Nothing half-profiled survives, and the flow does not wait forever.
    expect(await db.selectFrom('profiles').select('sample_id').where('sample_id', '=', localId(sampleId)).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom('sample_block_states').select('block_index').where('sample_id', '=', localId(sampleId)).execute()).toEqual([]);
    // The merge job ends: failed when a block job met the binary bytes first, completed (with
    // nothing to do) when the sample was already FAILED by the time the merge ran.
    await waitFor('the merge job to end', async () =>
      ['failed', 'completed'].includes(await backend.queue(MERGE_PROFILE_QUEUE).getJobState(mergeProfileJobId(localId(sampleId)))),
    );
    const gql = ok(await api.gql<any>(`query($id: ID!) { sample(id: $id) { status error errorCode } }`, { id: sampleId })).sample;
    expect(gql).toMatchObject({ status: 'FAILED', errorCode: 'BINARY_CONTENT' });
  });

  it('leaves a file the upload rejects FAILED with its reason and queues nothing for it', async () => {
    const { api, db, backend } = pipeline;
    const workflowId = await createWorkflow(api, `malformed-${kind}`);
    const datasetId = await createDataset(api, workflowId, 'exports');
    const { sampleId, uploadUrl } = await createUpload(api, datasetId, { role: 'PILOT' });
    const response = await put(uploadUrl, '"id,name\n1,a\n2,b\n');
    expect(response.status).toBe(400);
    const sample = await db.selectFrom('samples').selectAll().where('id', '=', localId(sampleId)).executeTakeFirstOrThrow();
    expect(sample.status).toBe('FAILED');
    expect(sample.error_code).toBe('MALFORMED_HEADER');
    expect(await backend.queue(MERGE_PROFILE_QUEUE).getJobState(mergeProfileJobId(localId(sampleId)))).toBe('unknown');
  });

  it('profiles blocks stored while the upload is still arriving once the dialect is known, and adopts them in the flow', async () => {
    const { db, scheduler } = pipeline;
    const ids = await insertDataset(db, { name: `early-${kind}` });
    // The upload itself, without a scheduler: then the steps are replayed as an upload that records
    // its dialect with the first block would announce them.
    const csv = ordersCsv({ rows: 1200, seed: 5, asOf: AS_OF });
    const sampleId = await ingestBytes(db, ids, csv);
    const received = await db.selectFrom('samples').selectAll().where('id', '=', sampleId).executeTakeFirstOrThrow();
    const total = received.blocks_total!;
    expect(total).toBeGreaterThan(2);
    await db.updateTable('samples').set({ status: 'RECEIVING', blocks_total: null }).where('id', '=', sampleId).execute();
    for (let i = 0; i < total - 1; i++) await scheduler.onBlockStored(sampleId, i);
    // The block job stores the state, then moves the sample's count in a statement of its own:
    // wait for both before reading the count.
    await waitFor('the early blocks to be profiled and counted while RECEIVING', async () => {
      const states = await db.selectFrom('sample_block_states').select('block_index').where('sample_id', '=', sampleId).execute();
      const sample = await db.selectFrom('samples').select('blocks_done').where('id', '=', sampleId).executeTakeFirstOrThrow();
      return (states.length === total - 1 && sample.blocks_done >= total - 1) || undefined;
    });
    const receiving = await db.selectFrom('samples').selectAll().where('id', '=', sampleId).executeTakeFirstOrThrow();
    expect(receiving.status).toBe('RECEIVING');
    expect(receiving.blocks_done).toBe(total - 1);

    await scheduler.onBlockStored(sampleId, total - 1);
    await db.updateTable('samples').set({ status: 'RECEIVED', blocks_total: total, blocks_done: 0, progress: 0 }).where('id', '=', sampleId).execute();
    await scheduler.onUploadComplete(sampleId);
    const profiled = await waitForSample(db, sampleId, ['PROFILED', 'FAILED']);
    expect(profiled.status).toBe('PROFILED');
    expect(Number(profiled.rows)).toBe(1200);
  });

  it('counts every block once however often it is profiled or its flow is added', async () => {
    const { db, backend, jobs } = pipeline;
    const ids = await insertDataset(db, { name: `idempotent-${kind}` });
    const sampleId = await ingestBytes(db, ids, ordersCsv({ rows: 900, seed: 6, asOf: AS_OF }));
    const sample = await db.selectFrom('samples').selectAll().where('id', '=', sampleId).executeTakeFirstOrThrow();

    // The same block profiled three times (a retry, a stalled job run again) stores one state.
    const first = await processProfileBlock(db, fakeJob({ sampleId, blockIndex: 0 }));
    await processProfileBlock(db, fakeJob({ sampleId, blockIndex: 0 }, 1));
    await processProfileBlock(db, fakeJob({ sampleId, blockIndex: 0 }, 2));
    expect(first).toMatchObject({ alreadyStored: false });
    const states = await db.selectFrom('sample_block_states').select(['block_index', 'rows']).where('sample_id', '=', sampleId).execute();
    expect(states.map((s) => s.block_index)).toEqual([0]);
    expect(await db.selectFrom('samples').select('blocks_done').where('id', '=', sampleId).executeTakeFirstOrThrow()).toEqual({ blocks_done: 1 });

    // The flow added twice (a retried hook, the reconciler): one profile, rows counted once.
    const flowSample = { id: sampleId, datasetId: ids.datasetId, blocksTotal: sample.blocks_total! };
    await addProfileFlow(backend, flowSample, jobOptions(jobs), async () => new Set([0]));
    await addProfileFlow(backend, flowSample, jobOptions(jobs), async () => new Set([0]));
    const profiled = await waitForSample(db, sampleId, ['PROFILED', 'FAILED']);
    expect(profiled.status).toBe('PROFILED');
    expect(Number(profiled.rows)).toBe(900);
    const profile = await db.selectFrom('profiles').select('profile').where('sample_id', '=', sampleId).executeTakeFirstOrThrow();
    expect((profile.profile as { rows: number }).rows).toBe(900);
  });

  it('does not add a duplicate report when a report job runs again on the same samples', async () => {
    const { db } = pipeline;
    const ids = await insertDataset(db, { name: `report-again-${kind}` });
    const pilot = await ingestBytes(db, ids, ordersCsv({ rows: 500, seed: 7, asOf: AS_OF }), { role: 'PILOT' });
    const production = await ingestBytes(db, ids, ordersCsv({ rows: 500, seed: 8, asOf: AS_OF }), { role: 'PRODUCTION' });
    for (const id of [pilot, production]) {
      await pipeline.scheduler.onUploadComplete(id);
      await waitForSample(db, id, ['PROFILED']);
    }
    const first = await waitFor('a report', async () =>
      db.selectFrom('reality_reports').select(['id']).where('dataset_id', '=', ids.datasetId).executeTakeFirst(),
    );
    const again = await computeRealityReport(db, ids.datasetId);
    expect(again).toEqual({ kind: 'unchanged', reportId: first.id });
    const count = await db.selectFrom('reality_reports').select(sql<number>`count(*)::int`.as('n')).where('dataset_id', '=', ids.datasetId).executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('finds the header problems of a file on the server as the CLI does', async () => {
    const { db } = pipeline;
    const ids = await insertDataset(db, { name: `duplicate-header-${kind}` });
    const pilotCsv = ordersCsv({ rows: 400, seed: 14, asOf: AS_OF });
    // The same orders, but `amount` named twice and the last column unnamed.
    const productionCsv = ordersCsv({ rows: 400, seed: 15, asOf: AS_OF }).replace('id,country,amount,status,updated_at\n', 'id,country,amount,amount,\n');
    const pilot = await ingestBytes(db, ids, pilotCsv, { role: 'PILOT', extractedAt: AS_OF });
    const production = await ingestBytes(db, ids, productionCsv, { role: 'PRODUCTION', extractedAt: AS_OF });
    for (const id of [pilot, production]) {
      await pipeline.scheduler.onUploadComplete(id);
      await waitForSample(db, id, ['PROFILED']);
    }
    const stored = await waitFor('a report', async () =>
      db.selectFrom('reality_reports').select('report').where('dataset_id', '=', ids.datasetId).executeTakeFirst(),
    );

    // The CLI path: `realitycheck compare` profiles both files and compares the snapshots.
    const encoder = new TextEncoder();
    const cliPilot = await profileBytes(encoder.encode(pilotCsv), { asOf: AS_OF, threads: 0 });
    const cliProduction = await profileBytes(encoder.encode(productionCsv), { asOf: AS_OF, threads: 0 });
    expect(cliProduction.snapshot.header).toEqual(['id', 'country', 'amount', 'amount_2', 'column_5']);
    expect(cliProduction.snapshot.headerIssues).toEqual({ duplicateNames: ['amount'], emptyNames: 1 });
    const cliReport = compareSnapshots(cliPilot.snapshot, cliProduction.snapshot, { asOf: AS_OF, pilotAsOf: AS_OF });

    // The server path: the production snapshot the report job finalizes from the stored state and dialect.
    const sample = await db
      .selectFrom('samples as s')
      .innerJoin('profiles as p', 'p.sample_id', 's.id')
      .select(['s.dialect', 'p.state'])
      .where('s.id', '=', production)
      .executeTakeFirstOrThrow();
    const serverSnapshot = finalizeDataset(
      DatasetState.fromJSON(sample.state as DatasetStateJson),
      finalizeOptions(readDialect(sample.dialect, production), contractSettings('PRODUCTION', {})),
    );
    expect(serverSnapshot.headerIssues).toEqual(cliProduction.snapshot.headerIssues);

    const headerFindings = (findings: readonly Finding[]) =>
      findings.filter((f) => f.code === 'DUPLICATE_HEADER').map((f) => ({ code: f.code, column: f.column, message: f.message }));
    expect(headerFindings(cliReport.findings)).toEqual([expect.objectContaining({ code: 'DUPLICATE_HEADER', column: 'amount' })]);
    expect(headerFindings((stored.report as RealityReport).findings)).toEqual(headerFindings(cliReport.findings));
  });

  it('gives a stalled sample whose jobs the queue lost its flow back (reconciliation)', async () => {
    const { db, workers } = pipeline;
    const ids = await insertDataset(db, { name: `lost-${kind}` });
    // Received an hour ago, but its flow never reached the queue (the queue was down, or lost it).
    const sampleId = await ingestBytes(db, ids, ordersCsv({ rows: 700, seed: 12, asOf: AS_OF }));
    await db.updateTable('samples').set({ updated_at: new Date(Date.now() - 3_600_000) }).where('id', '=', sampleId).execute();
    const outcome = await workers!.reconcileNow();
    expect(outcome.requeued).toContain(sampleId);
    const sample = await waitForSample(db, sampleId, ['PROFILED', 'FAILED']);
    expect(sample.status).toBe('PROFILED');
    expect(Number(sample.rows)).toBe(700);
    // A second pass finds nothing left to repair for it.
    expect((await workers!.reconcileNow()).requeued).not.toContain(sampleId);
  });

  it('deletes the raw blocks of profiled samples past their retention and keeps their profiles', async () => {
    const { db, backend } = pipeline;
    const week = await insertDataset(db, { name: `retention-week-${kind}`, rawRetention: 'P7D' });
    // A month counts 30 days: the retention the API accepts is the one the job applies.
    const month = await insertDataset(db, { name: `retention-month-${kind}`, rawRetention: 'P1M' });
    const old = await ingestBytes(db, week, ordersCsv({ rows: 300, seed: 9, asOf: AS_OF }));
    const recent = await ingestBytes(db, week, ordersCsv({ rows: 300, seed: 10, asOf: AS_OF }));
    const oldButLongRetention = await ingestBytes(db, month, ordersCsv({ rows: 300, seed: 11, asOf: AS_OF }));
    const pastLongRetention = await ingestBytes(db, month, ordersCsv({ rows: 300, seed: 13, asOf: AS_OF }));
    for (const id of [old, recent, oldButLongRetention, pastLongRetention]) {
      await pipeline.scheduler.onUploadComplete(id);
      await waitForSample(db, id, ['PROFILED']);
    }
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    await db.updateTable('samples').set({ created_at: eightDaysAgo }).where('id', 'in', [old, oldButLongRetention]).execute();
    const thirtyOneDaysAgo = new Date(Date.now() - 31 * 86_400_000);
    await db.updateTable('samples').set({ created_at: thirtyOneDaysAgo }).where('id', '=', pastLongRetention).execute();

    const job = await backend.queue(APPLY_RETENTION_QUEUE).add(APPLY_RETENTION_QUEUE, {});
    await waitFor('the retention job', async () => (await backend.queue(APPLY_RETENTION_QUEUE).getJobState(job.id!)) === 'completed');

    const blocks = async (id: string) => (await db.selectFrom('sample_blocks').select('block_index').where('sample_id', '=', id).execute()).length;
    expect(await blocks(old)).toBe(0);
    expect(await blocks(recent)).toBeGreaterThan(0);
    expect(await blocks(oldButLongRetention)).toBeGreaterThan(0);
    expect(await blocks(pastLongRetention)).toBe(0);
    const samples = await db.selectFrom('samples').select(['id', 'raw_deleted_at', 'status']).where('id', 'in', [old, recent]).execute();
    expect(samples.find((s) => s.id === old)).toMatchObject({ status: 'PROFILED', raw_deleted_at: expect.any(Date) });
    expect(samples.find((s) => s.id === recent)?.raw_deleted_at).toBeNull();
    expect(await db.selectFrom('profiles').select('sample_id').where('sample_id', '=', old).executeTakeFirst()).toBeDefined();
  });
});
