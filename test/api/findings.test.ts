import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataset,
  createWorkflow,
  localId,
  ok,
  REPORT_DOCUMENT,
  storeFinding,
  storeProfile,
  storeReport,
  uploadCsv,
  type FindingSeed,
} from './fixtures.js';
import { errorCodes, startTestApi, type TestApi } from './harness.js';

// Findings lists: order (most severe, then newest, then id), filters, paging across severities,
// and the counts by severity of a report.

let api: TestApi;
let workflowId: string;
let datasetId: string;
let otherDatasetId: string;
let reportId: string;
let otherReportId: string;

/** Every finding stored, with its database id. */
const stored: Array<Required<Pick<FindingSeed, 'severity' | 'dimension' | 'column' | 'status' | 'createdAt'>> & { id: string; dataset: 'main' | 'other' }> = [];

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** The findings of the main dataset, as seeds: warnings are the newest, two pairs share a creation time. */
const SEEDS: Array<Required<Pick<FindingSeed, 'severity' | 'dimension' | 'column' | 'status' | 'createdAt'>>> = [
  { severity: 'warning', dimension: 'completeness', column: 'city', status: 'OPEN', createdAt: at(5) },
  { severity: 'warning', dimension: 'format', column: 'city', status: 'OPEN', createdAt: at(4) },
  { severity: 'critical', dimension: 'schema', column: 'amount', status: 'OPEN', createdAt: at(1) },
  { severity: 'critical', dimension: 'completeness', column: 'amount', status: 'ACKNOWLEDGED', createdAt: at(3) },
  { severity: 'info', dimension: 'distribution', column: 'city', status: 'OPEN', createdAt: at(6) },
  { severity: 'critical', dimension: 'freshness', column: null, status: 'WAIVED', createdAt: at(3) },
  { severity: 'info', dimension: 'format', column: 'amount', status: 'RESOLVED', createdAt: at(2) },
  { severity: 'warning', dimension: 'distribution', column: 'amount', status: 'OPEN', createdAt: at(4) },
];

/** A report document whose findings include a repeated fingerprint and an unknown severity. */
const COUNTED_DOCUMENT = {
  ...REPORT_DOCUMENT,
  findings: [
    { fingerprint: 'a', severity: 'critical', code: 'COLUMN_MISSING' },
    { fingerprint: 'b', severity: 'critical', code: 'FORMAT_CHANGED' },
    { fingerprint: 'b', severity: 'warning', code: 'FORMAT_CHANGED' },
    { fingerprint: 'c', severity: 'critical', code: 'STALE' },
    { fingerprint: 'd', severity: 'warning', code: 'NULL_RATE_INCREASE' },
    { fingerprint: 'e', severity: 'warning', code: 'RANGE' },
    { fingerprint: 'f', severity: 'info', code: 'ENCODING' },
    { fingerprint: 'g', severity: 'notice', code: 'ELSE' },
  ],
};

const LEVEL: Record<string, number> = { critical: 3, warning: 2, info: 1 };

/** The expected order, computed here: level, then creation time, then id, all descending (uuid text sorts as its bytes). */
function expectedOrder(rows: typeof stored): string[] {
  return [...rows]
    .sort(
      (a, b) =>
        LEVEL[b.severity]! - LEVEL[a.severity]! ||
        b.createdAt.getTime() - a.createdAt.getTime() ||
        (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    )
    .map((f) => f.id);
}

async function seedDataset(name: string, document: unknown) {
  const dataset = await createDataset(api, workflowId, name);
  const pilot = await uploadCsv(api, dataset, 'id,city\n1,Oslo\n', 'PILOT');
  const production = await uploadCsv(api, dataset, 'id,city\n1,Rome\n', 'PRODUCTION');
  await storeProfile(api.db, localId(production));
  const report = await storeReport(
    api.db,
    { workflowId: localId(workflowId), datasetId: localId(dataset), productionSampleId: localId(production), pilotSampleIds: [localId(pilot)] },
    document,
  );
  return { dataset, report };
}

beforeAll(async () => {
  api = await startTestApi();
  workflowId = await createWorkflow(api, 'Findings order');
  const main = await seedDataset('main', COUNTED_DOCUMENT);
  const other = await seedDataset('other', REPORT_DOCUMENT);
  datasetId = main.dataset;
  otherDatasetId = other.dataset;
  const reports = ok(
    await api.gql<any>(`query($a: ID!, $b: ID!) { a: dataset(id: $a) { latestReport { id } } b: dataset(id: $b) { latestReport { id } } }`, {
      a: datasetId,
      b: otherDatasetId,
    }),
  );
  reportId = reports.a.latestReport.id;
  otherReportId = reports.b.latestReport.id;
  for (const [i, seed] of SEEDS.entries()) {
    const id = await storeFinding(api.db, { workflowId: localId(workflowId), datasetId: localId(datasetId), reportId: main.report }, { ...seed, fingerprint: `f${i}` });
    stored.push({ ...seed, id, dataset: 'main' });
  }
  const otherSeed = { severity: 'critical', dimension: 'schema', column: 'id', status: 'OPEN', createdAt: at(0) } as const;
  const id = await storeFinding(api.db, { workflowId: localId(workflowId), datasetId: localId(otherDatasetId), reportId: other.report }, { ...otherSeed, fingerprint: 'other' });
  stored.push({ ...otherSeed, id, dataset: 'other' });
});
afterAll(async () => {
  await api?.close();
});

const DATASET_FINDINGS = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: FindingFilter, $status: [FindingStatus!]) {
  dataset(id: $id) {
    findings(first: $first, after: $after, last: $last, before: $before, filter: $filter, status: $status) {
      edges { cursor node { id severity dimension column status createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

/** Database ids of one page of a dataset's findings. */
async function datasetPage(variables: Record<string, unknown>, id = datasetId) {
  const data = ok(await api.gql<any>(DATASET_FINDINGS, { id, ...variables }));
  return { ids: data.dataset.findings.edges.map((e: any) => localId(e.node.id)) as string[], ...data.dataset.findings };
}

const main = () => stored.filter((f) => f.dataset === 'main');

describe('order', () => {
  it('lists critical findings first, then warnings, then info; newest first within a severity, then by id', async () => {
    const page = await datasetPage({ first: 100 });
    expect(page.ids).toEqual(expectedOrder(main()));
    expect(page.edges.map((e: any) => e.node.severity)).toEqual(['critical', 'critical', 'critical', 'warning', 'warning', 'warning', 'info', 'info']);
    // The first page a dashboard asks for shows the criticals, although the warnings are newer.
    expect((await datasetPage({ first: 3 })).edges.map((e: any) => e.node.severity)).toEqual(['critical', 'critical', 'critical']);
  });

  it('orders a workflow’s findings across its datasets the same way', async () => {
    const data = ok(await api.gql<any>(`query($id: ID!) { workflow(id: $id) { findings(first: 100) { edges { node { id } } } } }`, { id: workflowId }));
    expect(data.workflow.findings.edges.map((e: any) => localId(e.node.id))).toEqual(expectedOrder(stored));
  });
});

describe('paging', () => {
  const everything = () => expectedOrder(main());

  for (const size of [1, 2, 3]) {
    it(`walks forward and backward in pages of ${size} across severities, never skipping or repeating a finding`, async () => {
      const forward: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await datasetPage({ first: size, after });
        forward.push(...page.ids);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(forward).toEqual(everything());

      const backward: string[] = [];
      let before: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await datasetPage({ last: size, before });
        backward.unshift(...page.ids);
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backward).toEqual(everything());
    });
  }

  it('pages a filtered list', async () => {
    const warnings = expectedOrder(main().filter((f) => f.severity === 'warning'));
    const first = await datasetPage({ first: 2, filter: { severity: ['WARNING'] } });
    expect(first.ids).toEqual(warnings.slice(0, 2));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await datasetPage({ first: 2, after: first.pageInfo.endCursor, filter: { severity: ['WARNING'] } });
    expect(second.ids).toEqual(warnings.slice(2));
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a cursor of another kind of list, and a findings cursor in another list', async () => {
    const samples = ok(await api.gql<any>(`query($id: ID!) { dataset(id: $id) { samples(first: 1) { pageInfo { endCursor } } } }`, { id: datasetId }));
    const foreign = await api.gql(DATASET_FINDINGS, { id: datasetId, first: 2, after: samples.dataset.samples.pageInfo.endCursor });
    expect(errorCodes(foreign)).toEqual(['BAD_USER_INPUT']);

    const findingsCursor = (await datasetPage({ first: 1 })).pageInfo.endCursor;
    const misplaced = await api.gql(`query($id: ID!, $after: String) { dataset(id: $id) { samples(first: 1, after: $after) { edges { cursor } } } }`, {
      id: datasetId,
      after: findingsCursor,
    });
    expect(errorCodes(misplaced)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('filters', () => {
  const expectFiltered = async (filter: Record<string, unknown>, keep: (f: (typeof stored)[number]) => boolean, status?: string[]) => {
    const page = await datasetPage({ first: 100, filter, status });
    expect(page.ids, JSON.stringify({ filter, status })).toEqual(expectedOrder(main().filter(keep)));
    return page.ids;
  };

  it('by severity', async () => {
    expect(await expectFiltered({ severity: ['CRITICAL'] }, (f) => f.severity === 'critical')).toHaveLength(3);
    expect(await expectFiltered({ severity: ['WARNING', 'INFO'] }, (f) => f.severity !== 'critical')).toHaveLength(5);
  });

  it('by dimension', async () => {
    expect(await expectFiltered({ dimension: ['completeness'] }, (f) => f.dimension === 'completeness')).toHaveLength(2);
    expect(await expectFiltered({ dimension: ['format', 'schema'] }, (f) => f.dimension === 'format' || f.dimension === 'schema')).toHaveLength(3);
  });

  it('by column; a file-level finding has none', async () => {
    expect(await expectFiltered({ column: ['amount'] }, (f) => f.column === 'amount')).toHaveLength(4);
    expect(await expectFiltered({ column: ['city', 'amount'] }, (f) => f.column !== null)).toHaveLength(7);
  });

  it('by status', async () => {
    expect(await expectFiltered({ status: ['OPEN'] }, (f) => f.status === 'OPEN')).toHaveLength(5);
    expect(await expectFiltered({ status: ['WAIVED', 'RESOLVED'] }, (f) => f.status === 'WAIVED' || f.status === 'RESOLVED')).toHaveLength(2);
  });

  it('combines the fields, and an empty list keeps nothing', async () => {
    expect(
      await expectFiltered({ severity: ['CRITICAL'], column: ['amount'], status: ['OPEN', 'ACKNOWLEDGED'] }, (f) => f.severity === 'critical' && f.column === 'amount'),
    ).toHaveLength(2);
    expect(await expectFiltered({ severity: [] }, () => false)).toEqual([]);
    expect(await expectFiltered({ severity: null, dimension: null }, () => true)).toHaveLength(8);
  });

  it('keeps the former status argument: an empty list keeps all, and with filter.status both must hold', async () => {
    expect(await expectFiltered({}, () => true, [])).toHaveLength(8);
    expect(await expectFiltered({}, (f) => f.status === 'OPEN', ['OPEN'])).toHaveLength(5);
    expect(await expectFiltered({ status: ['ACKNOWLEDGED', 'WAIVED'] }, (f) => f.status === 'ACKNOWLEDGED', ['OPEN', 'ACKNOWLEDGED'])).toHaveLength(1);
  });

  it('filters a workflow’s findings too', async () => {
    const data = ok(
      await api.gql<any>(`query($id: ID!) { workflow(id: $id) { findings(first: 100, filter: { severity: [CRITICAL], status: [OPEN] }) { edges { node { id } } } } }`, {
        id: workflowId,
      }),
    );
    expect(data.workflow.findings.edges.map((e: any) => localId(e.node.id))).toEqual(
      expectedOrder(stored.filter((f) => f.severity === 'critical' && f.status === 'OPEN')),
    );
  });

  it('refuses a severity that is not one', async () => {
    const response = await api.gql(DATASET_FINDINGS, { id: datasetId, filter: { severity: ['critical'] } });
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.data).toBeUndefined();
  });
});

describe('counts by severity', () => {
  it('counts the findings of the report itself, once per fingerprint', async () => {
    const data = ok(
      await api.gql<any>(
        `query($d: ID!, $r: ID!, $o: ID!) {
          dataset(id: $d) { latestReport { findingCounts { critical warning info } } }
          report: realityReport(id: $r) { findingCounts { critical warning info } }
          other: realityReport(id: $o) { findingCounts { critical warning info } }
        }`,
        { d: datasetId, r: reportId, o: otherReportId },
      ),
    );
    expect(data.dataset.latestReport.findingCounts).toEqual({ critical: 3, warning: 2, info: 1 });
    expect(data.report.findingCounts).toEqual({ critical: 3, warning: 2, info: 1 });
    expect(data.other.findingCounts).toEqual({ critical: 0, warning: 0, info: 0 });
  });

  it('does not change when findings are triaged', async () => {
    const open = ok(
      await api.gql<any>(`query($id: ID!) { dataset(id: $id) { findings(first: 1, filter: { severity: [CRITICAL], status: [OPEN] }) { edges { node { id } } } } }`, {
        id: datasetId,
      }),
    );
    const findingId = open.dataset.findings.edges[0].node.id;
    ok(await api.gql(`mutation($id: ID!) { updateFinding(input: { id: $id, status: WAIVED }) { finding { status } } }`, { id: findingId }));
    try {
      const data = ok(await api.gql<any>(`query($r: ID!) { realityReport(id: $r) { findingCounts { critical warning info } } }`, { r: reportId }));
      expect(data.realityReport.findingCounts).toEqual({ critical: 3, warning: 2, info: 1 });
    } finally {
      ok(await api.gql(`mutation($id: ID!) { updateFinding(input: { id: $id, status: OPEN }) { finding { status } } }`, { id: findingId }));
    }
  });
});
