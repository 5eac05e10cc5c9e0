import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataset,
  createUpload,
  createWorkflow,
  localId,
  ok,
  put,
  storeProfile,
  storeReportAndFinding,
  uploadCsv,
} from './fixtures.js';
import { errorCodes, startTestApi, type GqlResponse, type TestApi } from './harness.js';

/** Everything of one workflow, by global id. */
interface World {
  workflow: string;
  owner: string;
  dataset: string;
  sample: string;
  report: string;
  finding: string;
}

let api: TestApi;
let a: World;
let b: World;
let readA: { id: string; secret: string };
let writeA: { id: string; secret: string };

async function buildWorld(name: string): Promise<World> {
  const workflow = await createWorkflow(api, `secret-${name}`, `owner-${name}`);
  const dataset = await createDataset(api, workflow, `dataset-${name}`);
  const pilot = await uploadCsv(api, dataset, `id,v\n1,${name}\n2,pilot\n`, 'PILOT');
  const sample = await uploadCsv(api, dataset, `id,v\n1,${name}\n2,production\n`, 'PRODUCTION');
  await storeProfile(api.db, localId(sample));
  await storeReportAndFinding(api.db, {
    workflowId: localId(workflow),
    datasetId: localId(dataset),
    productionSampleId: localId(sample),
    pilotSampleIds: [localId(pilot)],
  });
  const ids = ok(
    await api.gql<any>(
      `query($w: ID!, $d: ID!) { workflow(id: $w) { owner { id } findings { edges { node { id } } } } dataset(id: $d) { latestReport { id } } }`,
      { w: workflow, d: dataset },
    ),
  );
  return {
    workflow,
    owner: ids.workflow.owner.id,
    dataset,
    sample,
    report: ids.dataset.latestReport.id,
    finding: ids.workflow.findings.edges[0].node.id,
  };
}

async function createKey(name: string, scopes: { read?: string[]; write?: string[] }) {
  const data = ok(
    await api.gql<any>(
      `mutation($name: String!, $read: [ID!], $write: [ID!]) { createApiKey(input: { name: $name, read: $read, write: $write }) { apiKey { id } secret } }`,
      { name, read: scopes.read ?? [], write: scopes.write ?? [] },
    ),
  );
  return { id: data.createApiKey.apiKey.id as string, secret: data.createApiKey.secret as string };
}

beforeAll(async () => {
  api = await startTestApi();
  a = await buildWorld('A');
  b = await buildWorld('B');
  readA = await createKey('read A', { read: [a.workflow] });
  writeA = await createKey('write A', { write: [a.workflow] });
});
afterAll(async () => {
  await api?.close();
});

/** No error message or payload of a response may mention workflow B's names. */
function expectNoLeak(response: GqlResponse) {
  expect(JSON.stringify(response)).not.toMatch(/secret-B|owner-B|dataset-B/);
}

const NODE_QUERY = `query($id: ID!) { node(id: $id) { id } }`;

describe('a key scoped to workflow A', () => {
  for (const [label, key] of [
    ['read key', () => readA.secret],
    ['write key', () => writeA.secret],
  ] as const) {
    it(`(${label}) reads every object of A, by root field and by node(id)`, async () => {
      for (const id of Object.values(a)) {
        const response = await api.gql(NODE_QUERY, { id }, key());
        expect(response.errors, id).toBeUndefined();
        expect(response.data.node.id).toBe(id);
      }
      const read = ok(
        await api.gql<any>(
          `query($w: ID!, $d: ID!, $s: ID!, $r: ID!, $f: ID!) {
            workflow(id: $w) { name } dataset(id: $d) { name } sample(id: $s) { status profile { rows } }
            realityReport(id: $r) { score } finding(id: $f) { code } }`,
          { w: a.workflow, d: a.dataset, s: a.sample, r: a.report, f: a.finding },
          key(),
        ),
      );
      expect(read.workflow.name).toBe('secret-A');
      expect(read.sample.profile.rows).toBe(3);
      const states = ok(
        await api.gql<any>(
          `query($d: ID!, $s: ID!, $r: ID!) {
            dataset(id: $d) { reportError { code } latestReport { stale staleReason { code } } }
            sample(id: $s) { parseErrorCount parseErrors { row } }
            realityReport(id: $r) { stale } }`,
          { d: a.dataset, s: a.sample, r: a.report },
          key(),
        ),
      );
      expect(states.dataset.reportError).toBeNull();
      // The stored report names a pilot that was never profiled: the report is not what the dataset would compare now.
      expect(states.dataset.latestReport).toEqual({ stale: true, staleReason: { code: 'SAMPLES_CHANGED' } });
      expect(states.sample.parseErrors).toEqual([]);
      expect(states.realityReport.stale).toBe(true);
    });

    it(`(${label}) gets NOT_FOUND for B's report states and parse errors`, async () => {
      const attempts: Array<[string, Record<string, unknown>]> = [
        [`query($id: ID!) { dataset(id: $id) { reportError { code message } } }`, { id: b.dataset }],
        [`query($id: ID!) { realityReport(id: $id) { stale staleReason { code message } } }`, { id: b.report }],
        [`query($id: ID!) { sample(id: $id) { parseErrorCount parseErrors { message } } }`, { id: b.sample }],
      ];
      for (const [query, variables] of attempts) {
        const response = await api.gql(query, variables, key());
        expect(errorCodes(response), query).toEqual(['NOT_FOUND']);
        expect(JSON.stringify(response.data), query).not.toMatch(/stale|reportError|parseError/);
        expectNoLeak(response);
      }
    });

    it(`(${label}) gets NOT_FOUND for every object of B, by root field, node(id) and nodes(ids)`, async () => {
      for (const id of Object.values(b)) {
        const response = await api.gql(NODE_QUERY, { id }, key());
        expect(errorCodes(response), id).toEqual(['NOT_FOUND']);
        expect(response.data).toEqual({ node: null });
        expectNoLeak(response);
      }
      const roots: Array<[string, string]> = [
        ['workflow', b.workflow],
        ['dataset', b.dataset],
        ['sample', b.sample],
        ['realityReport', b.report],
        ['finding', b.finding],
        ['owner', b.owner],
      ];
      for (const [field, id] of roots) {
        const response = await api.gql(`query($id: ID!) { ${field}(id: $id) { id } }`, { id }, key());
        expect(errorCodes(response), field).toEqual(['NOT_FOUND']);
        expectNoLeak(response);
      }
      const mixed = await api.gql<any>(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [a.workflow, b.workflow] }, key());
      expect(mixed.data.nodes[0]).toEqual({ id: a.workflow });
      expect(mixed.data.nodes[1]).toBeNull();
      expect(errorCodes(mixed)).toEqual(['NOT_FOUND']);
    });

    it(`(${label}) reads A's findings by filter and its report's counts, and gets NOT_FOUND for B's`, async () => {
      const own = ok(
        await api.gql<any>(
          `query($w: ID!, $d: ID!, $r: ID!) {
            workflow(id: $w) { findings(filter: { severity: [WARNING], column: ["city"] }) { edges { node { id } } } }
            dataset(id: $d) { findings(filter: { status: [OPEN, WAIVED] }) { edges { node { id } } } }
            realityReport(id: $r) { findingCounts { critical warning info } } }`,
          { w: a.workflow, d: a.dataset, r: a.report },
          key(),
        ),
      );
      expect(own.workflow.findings.edges.map((e: any) => e.node.id)).toEqual([a.finding]);
      expect(own.dataset.findings.edges).toHaveLength(1);
      expect(own.realityReport.findingCounts).toEqual({ critical: 0, warning: 0, info: 0 });

      const attempts: Array<[string, Record<string, unknown>]> = [
        [`query($id: ID!) { workflow(id: $id) { findings(filter: { severity: [CRITICAL, WARNING, INFO] }) { edges { node { id message } } } } }`, { id: b.workflow }],
        [`query($id: ID!) { dataset(id: $id) { findings(filter: { column: ["city"] }) { edges { node { id message } } } } }`, { id: b.dataset }],
        [`query($id: ID!) { realityReport(id: $id) { findingCounts { critical warning info } } }`, { id: b.report }],
        [`query($id: ID!) { node(id: $id) { ... on RealityReport { findingCounts { warning } } } }`, { id: b.report }],
      ];
      for (const [query, variables] of attempts) {
        const response = await api.gql(query, variables, key());
        expect(errorCodes(response), query).toEqual(['NOT_FOUND']);
        expect(JSON.stringify(response.data), query).not.toMatch(/findingCounts|edges|warning/);
        expectNoLeak(response);
      }
    });

    it(`(${label}) lists only A's workflows and owners`, async () => {
      const lists = ok(
        await api.gql<any>(`{ workflows { edges { node { id } } } owners { edges { node { id } } } }`, {}, key()),
      );
      expect(lists.workflows.edges.map((e: any) => e.node.id)).toEqual([a.workflow]);
      expect(lists.owners.edges.map((e: any) => e.node.id)).toEqual([a.owner]);
      const ownerWorkflows = ok(
        await api.gql<any>(`query($o: ID!) { owner(id: $o) { workflows { edges { node { id } } } } }`, { o: a.owner }, key()),
      );
      expect(ownerWorkflows.owner.workflows.edges.map((e: any) => e.node.id)).toEqual([a.workflow]);
    });

    it(`(${label}) cannot write to B: NOT_FOUND for datasets, uploads, findings and settings`, async () => {
      const attempts: Array<[string, Record<string, unknown>]> = [
        [`mutation($id: ID!) { createDataset(input: { workflowId: $id, name: "x" }) { dataset { id } } }`, { id: b.workflow }],
        [`mutation($id: ID!) { updateWorkflow(input: { id: $id, name: "x" }) { workflow { id } } }`, { id: b.workflow }],
        [`mutation($id: ID!) { updateDataset(input: { id: $id, name: "x" }) { dataset { id } } }`, { id: b.dataset }],
        [`mutation($id: ID!) { createUpload(input: { datasetId: $id, role: PILOT, filename: "x.csv" }) { uploadUrl } }`, { id: b.dataset }],
        [`mutation($id: ID!) { updateFinding(input: { id: $id, status: WAIVED }) { finding { id } } }`, { id: b.finding }],
        [`mutation($id: ID!) { deactivateSample(input: { id: $id }) { sample { id } } }`, { id: b.sample }],
        [`mutation($id: ID!) { reactivateSample(input: { id: $id }) { sample { id } } }`, { id: b.sample }],
        [`mutation($id: ID!) { deleteSample(input: { id: $id }) { deletedSampleId } }`, { id: b.sample }],
      ];
      for (const [query, variables] of attempts) {
        const response = await api.gql(query, variables, key());
        expect(errorCodes(response), query).toEqual(['NOT_FOUND']);
        expectNoLeak(response);
      }
    });

    it(`(${label}) cannot use admin operations: FORBIDDEN`, async () => {
      const attempts = [
        `mutation { createWorkflow(input: { name: "x", owner: { name: "y" } }) { workflow { id } } }`,
        `mutation { createOwner(input: { name: "x" }) { owner { id } } }`,
        `mutation { createApiKey(input: { name: "x", admin: true }) { secret } }`,
        `{ apiKeys { edges { node { id } } } }`,
      ];
      for (const query of attempts) {
        expect(errorCodes(await api.gql(query, {}, key())), query).toEqual(['FORBIDDEN']);
      }
      const revoke = await api.gql(`mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }`, { id: readA.id }, key());
      expect(errorCodes(revoke)).toEqual(['FORBIDDEN']);
    });

    it(`(${label}) sees its own key but not others`, async () => {
      const self = label === 'read key' ? readA : writeA;
      const other = label === 'read key' ? writeA : readA;
      expect(ok(await api.gql<any>(NODE_QUERY, { id: self.id }, key())).node.id).toBe(self.id);
      expect(errorCodes(await api.gql(NODE_QUERY, { id: other.id }, key()))).toEqual(['NOT_FOUND']);
    });
  }

  it('(read key) may not write to A: FORBIDDEN for datasets, uploads, findings and settings', async () => {
    const attempts: Array<[string, Record<string, unknown>]> = [
      [`mutation($id: ID!) { createDataset(input: { workflowId: $id, name: "x" }) { dataset { id } } }`, { id: a.workflow }],
      [`mutation($id: ID!) { updateWorkflow(input: { id: $id, name: "x" }) { workflow { id } } }`, { id: a.workflow }],
      [`mutation($id: ID!) { updateDataset(input: { id: $id, name: "x" }) { dataset { id } } }`, { id: a.dataset }],
      [`mutation($id: ID!) { createUpload(input: { datasetId: $id, role: PILOT, filename: "x.csv" }) { uploadUrl } }`, { id: a.dataset }],
      [`mutation($id: ID!) { updateFinding(input: { id: $id, status: WAIVED }) { finding { id } } }`, { id: a.finding }],
      [`mutation($id: ID!) { deactivateSample(input: { id: $id }) { sample { id } } }`, { id: a.sample }],
      [`mutation($id: ID!) { reactivateSample(input: { id: $id }) { sample { id } } }`, { id: a.sample }],
      [`mutation($id: ID!) { deleteSample(input: { id: $id }) { deletedSampleId } }`, { id: a.sample }],
    ];
    for (const [query, variables] of attempts) {
      const response = await api.gql(query, variables, readA.secret);
      expect(errorCodes(response), query).toEqual(['FORBIDDEN']);
    }
    // Nothing changed.
    const sample = ok(await api.gql<any>(`query($id: ID!) { sample(id: $id) { active status } }`, { id: a.sample }));
    expect(sample.sample).toEqual({ active: true, status: 'PROFILED' });
    // Multipart uploads are checked the same way.
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: `mutation($f: File!, $d: ID!) { uploadSample(input: { datasetId: $d, role: PILOT, file: $f }) { sample { id } } }`,
        variables: { f: null, d: a.dataset },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.f'] }));
    form.set('0', new Blob(['x,y\n1,2\n']), 'x.csv');
    const response = await fetch(`${api.url}/graphql`, { method: 'POST', body: form, headers: { authorization: `Bearer ${readA.secret}` } });
    const body = (await response.json()) as any;
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it('(write key) writes to A: dataset, upload, finding and settings', async () => {
    const dataset = ok(
      await api.gql<any>(`mutation($id: ID!) { createDataset(input: { workflowId: $id, name: "by write key" }) { dataset { id } } }`, { id: a.workflow }, writeA.secret),
    ).createDataset.dataset.id;
    const { uploadUrl } = await createUpload(api, dataset, { key: writeA.secret });
    expect((await put(uploadUrl, 'k,v\n1,2\n')).status).toBe(200);
    const finding = ok(
      await api.gql<any>(`mutation($id: ID!) { updateFinding(input: { id: $id, status: WAIVED }) { finding { status } } }`, { id: a.finding }, writeA.secret),
    );
    expect(finding.updateFinding.finding.status).toBe('WAIVED');
    const workflow = ok(
      await api.gql<any>(`mutation($id: ID!) { updateWorkflow(input: { id: $id, readinessTarget: 75 }) { workflow { settings { readinessTarget } } } }`, { id: a.workflow }, writeA.secret),
    );
    expect(workflow.updateWorkflow.workflow.settings.readinessTarget).toBe(75);
  });

  it('(write key) deactivates, reactivates and deletes samples of A', async () => {
    const off = ok(
      await api.gql<any>(`mutation($id: ID!) { deactivateSample(input: { id: $id }) { changed sample { active } } }`, { id: a.sample }, writeA.secret),
    );
    expect(off.deactivateSample).toEqual({ changed: true, sample: { active: false } });
    const on = ok(
      await api.gql<any>(`mutation($id: ID!) { reactivateSample(input: { id: $id }) { changed sample { active } } }`, { id: a.sample }, writeA.secret),
    );
    expect(on.reactivateSample).toEqual({ changed: true, sample: { active: true } });
    const extra = await uploadCsv(api, a.dataset, 'id,v\n1,extra\n', 'PRODUCTION');
    const deleted = ok(
      await api.gql<any>(`mutation($id: ID!) { deleteSample(input: { id: $id }) { deletedSampleId } }`, { id: extra }, writeA.secret),
    );
    expect(deleted.deleteSample.deletedSampleId).toBe(extra);
    expect(errorCodes(await api.gql(NODE_QUERY, { id: extra }))).toEqual(['NOT_FOUND']);
  });
});

describe('an admin key', () => {
  it('sees both workflows and every object', async () => {
    const lists = ok(await api.gql<any>(`{ workflows { edges { node { id } } } }`));
    expect(lists.workflows.edges.map((e: any) => e.node.id)).toEqual([a.workflow, b.workflow]);
    for (const id of [...Object.values(a), ...Object.values(b), readA.id]) {
      expect(ok(await api.gql<any>(NODE_QUERY, { id })).node.id).toBe(id);
    }
  });
});

describe('no key', () => {
  it('gets UNAUTHENTICATED for data, node(id) and mutations, without leaking anything', async () => {
    const attempts: Array<[string, Record<string, unknown>]> = [
      [NODE_QUERY, { id: a.workflow }],
      [`query($id: ID!) { sample(id: $id) { id } }`, { id: a.sample }],
      [`{ owners { edges { node { id } } } }`, {}],
      [`mutation($id: ID!) { createUpload(input: { datasetId: $id, role: PILOT, filename: "x.csv" }) { uploadUrl } }`, { id: a.dataset }],
      [`mutation($id: ID!) { deactivateSample(input: { id: $id }) { sample { id } } }`, { id: a.sample }],
      [`mutation($id: ID!) { reactivateSample(input: { id: $id }) { sample { id } } }`, { id: a.sample }],
      [`mutation($id: ID!) { deleteSample(input: { id: $id }) { deletedSampleId } }`, { id: a.sample }],
      [`query($id: ID!) { dataset(id: $id) { reportError { code } latestReport { stale } } }`, { id: a.dataset }],
    ];
    for (const [query, variables] of attempts) {
      const response = await api.gql(query, variables, null);
      expect(errorCodes(response), query).toEqual(['UNAUTHENTICATED']);
      expect(JSON.stringify(response)).not.toMatch(/secret-A|owner-A/);
    }
  });
});
