import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataset,
  createWorkflow,
  localId,
  ok,
  PROFILE_DOCUMENT,
  REPORT_DOCUMENT,
  storeProfile,
  storeReportAndFinding,
  typeOf,
  uploadCsv,
} from './fixtures.js';
import { errorCodes, startTestApi, type TestApi } from './harness.js';

let api: TestApi;
let failQueue = false;

beforeAll(async () => {
  api = await startTestApi({
    readinessChecks: {
      queue: async () => {
        if (failQueue) throw new Error('queue unreachable');
      },
    },
  });
});
afterAll(async () => {
  await api?.close();
});

describe('health and readiness', () => {
  it('answers /health and /ready, and /ready reports a failing readiness hook with 503', async () => {
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${api.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });

    failQueue = true;
    try {
      const notReady = await fetch(`${api.url}/ready`);
      expect(notReady.status).toBe(503);
      const body = (await notReady.json()) as any;
      expect(body.status).toBe('not ready');
      expect(body.checks.database).toBe('ok');
      expect(body.checks.queue).toMatch(/queue unreachable/);
    } finally {
      failQueue = false;
    }
  });

  it('serves GraphiQL to a browser at /graphql', async () => {
    const page = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toMatch(/<title>realitycheck GraphiQL<\/title>/);
    // Scripts, styles and the icon are inline: nothing is loaded from another host.
    expect(html).not.toMatch(/<(script|link)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${api.url}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).error.code).toBe('NOT_FOUND');
  });
});

describe('workflows and owners', () => {
  it('creates a workflow with an inline owner and default settings, and reads it back by id and by node', async () => {
    const created = ok(
      await api.gql<any>(`mutation {
        createWorkflow(input: { name: "Invoice triage", description: "routes invoices", owner: { name: "AP team", contact: "ap@example.com" } }) {
          workflow { id name description owner { id name contact } settings { readinessTarget freshnessWarnAfter freshnessErrorAfter rawRetention } score createdAt }
        }
      }`),
    ).createWorkflow.workflow;
    expect(typeOf(created.id)).toBe('Workflow');
    expect(created).toMatchObject({
      name: 'Invoice triage',
      description: 'routes invoices',
      owner: { name: 'AP team', contact: 'ap@example.com' },
      settings: { readinessTarget: 80, freshnessWarnAfter: 'P7D', freshnessErrorAfter: 'P30D', rawRetention: 'P7D' },
      score: null,
    });
    expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);

    const byId = ok(await api.gql<any>(`query($id: ID!) { workflow(id: $id) { id name } }`, { id: created.id }));
    expect(byId.workflow).toEqual({ id: created.id, name: 'Invoice triage' });
    const byNode = ok(await api.gql<any>(`query($id: ID!) { node(id: $id) { id ... on Workflow { name } } }`, { id: created.id }));
    expect(byNode.node).toEqual({ id: created.id, name: 'Invoice triage' });
  });

  it('creates an owner, then a workflow for it by ownerId, and lists the owner\'s workflows', async () => {
    const owner = ok(await api.gql<any>(`mutation { createOwner(input: { name: "Risk" }) { owner { id name contact } } }`)).createOwner.owner;
    expect(owner).toMatchObject({ name: 'Risk', contact: null });
    const workflow = ok(
      await api.gql<any>(
        `mutation($o: ID!) { createWorkflow(input: { name: "Fraud scoring", ownerId: $o, readinessTarget: 90, freshnessWarnAfter: "P1D", freshnessErrorAfter: "P2D" }) {
          workflow { id owner { id } settings { readinessTarget freshnessWarnAfter freshnessErrorAfter } } } }`,
        { o: owner.id },
      ),
    ).createWorkflow.workflow;
    expect(workflow.owner.id).toBe(owner.id);
    expect(workflow.settings).toEqual({ readinessTarget: 90, freshnessWarnAfter: 'P1D', freshnessErrorAfter: 'P2D' });
    const listed = ok(await api.gql<any>(`query($o: ID!) { owner(id: $o) { workflows(first: 10) { edges { node { id } } } } }`, { o: owner.id }));
    expect(listed.owner.workflows.edges.map((e: any) => e.node.id)).toEqual([workflow.id]);
  });

  it('updates a workflow\'s settings and keeps what was not given', async () => {
    const id = await createWorkflow(api, 'To update');
    const updated = ok(
      await api.gql<any>(
        `mutation($id: ID!) { updateWorkflow(input: { id: $id, readinessTarget: 70, rawRetention: "P30D" }) {
          workflow { name settings { readinessTarget freshnessWarnAfter rawRetention } } } }`,
        { id },
      ),
    ).updateWorkflow.workflow;
    expect(updated).toEqual({ name: 'To update', settings: { readinessTarget: 70, freshnessWarnAfter: 'P7D', rawRetention: 'P30D' } });
  });

  it('pages through workflows with first/after in creation order, without skipping or repeating', async () => {
    const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    const ids: string[] = [];
    for (const name of names) ids.push(await createWorkflow(api, name));
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page: any = ok(
        await api.gql<any>(
          `query($after: String) { workflows(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        ),
      ).workflows;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // All workflows of this database, each once, in creation order: ours are the last five.
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(-5)).toEqual(ids);

    const backwards = ok(await api.gql<any>(`{ workflows(last: 2) { edges { node { id } } pageInfo { hasPreviousPage } } }`)).workflows;
    expect(backwards.edges.map((e: any) => e.node.id)).toEqual(ids.slice(-2));
    expect(backwards.pageInfo.hasPreviousPage).toBe(true);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field', async () => {
    const cases: Array<[string, RegExp]> = [
      [`mutation { createWorkflow(input: { name: "   ", owner: { name: "x" } }) { workflow { id } } }`, /input\.name/],
      [`mutation { createWorkflow(input: { name: "x", owner: { name: "x" }, freshnessWarnAfter: "7 days" }) { workflow { id } } }`, /freshnessWarnAfter/],
      [`mutation { createWorkflow(input: { name: "x", owner: { name: "x" }, readinessTarget: 101 }) { workflow { id } } }`, /readinessTarget/],
      [`mutation { createWorkflow(input: { name: "x" }) { workflow { id } } }`, /ownerId/],
      [`mutation { createWorkflow(input: { name: "x", owner: { name: "x" }, freshnessWarnAfter: "P40D" }) { workflow { id } } }`, /freshnessWarnAfter/],
      [`{ workflow(id: "not-an-id") { id } }`, /not a valid id/],
      [`{ workflows(first: 500) { edges { node { id } } } }`, /first/],
      [`{ workflows(first: 1, after: "garbage") { edges { node { id } } } }`, /after/],
    ];
    for (const [query, message] of cases) {
      const response = await api.gql(query);
      expect(errorCodes(response), query).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.message, query).toMatch(message);
    }
  });

  it('answers NOT_FOUND for an id of the right shape that does not exist, and BAD_USER_INPUT for an id of another type', async () => {
    const missing = Buffer.from('Workflow:00000000-0000-4000-8000-000000000000').toString('base64url');
    const response = await api.gql(`query($id: ID!) { workflow(id: $id) { id } }`, { id: missing });
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(response.errors![0]!.message).toContain(missing);
    expect(response.data).toEqual({ workflow: null });

    const viaNode = await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: missing });
    expect(errorCodes(viaNode)).toEqual(['NOT_FOUND']);

    const datasetId = await createDataset(api, await createWorkflow(api, 'typed ids'), 'd');
    const wrongType = await api.gql(`query($id: ID!) { workflow(id: $id) { id } }`, { id: datasetId });
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('datasets', () => {
  it('creates a dataset with a contract and reads it back; a second one with the same name is a CONFLICT', async () => {
    const workflowId = await createWorkflow(api, 'Datasets');
    const created = ok(
      await api.gql<any>(
        `mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "invoices", weight: 2,
            contract: { requiredColumns: ["id", "amount"], timestampColumn: "created_at",
                        columnMap: [{ pilot: "amount", production: "amt" }], sensitiveColumns: ["email"] } }) {
          dataset { id name weight workflow { id } contract { requiredColumns timestampColumn columnMap { pilot production } sensitiveColumns } latestReport { id } } } }`,
        { w: workflowId },
      ),
    ).createDataset.dataset;
    expect(created).toMatchObject({
      name: 'invoices',
      weight: 2,
      workflow: { id: workflowId },
      contract: {
        requiredColumns: ['id', 'amount'],
        timestampColumn: 'created_at',
        columnMap: [{ pilot: 'amount', production: 'amt' }],
        sensitiveColumns: ['email'],
      },
      latestReport: null,
    });
    const again = await api.gql(`mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "invoices" }) { dataset { id } } }`, {
      w: workflowId,
    });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.message).toMatch(/invoices/);

    const listed = ok(await api.gql<any>(`query($w: ID!) { workflow(id: $w) { datasets { edges { node { id name } } } } }`, { w: workflowId }));
    expect(listed.workflow.datasets.edges).toEqual([{ node: { id: created.id, name: 'invoices' } }]);

    const updated = ok(
      await api.gql<any>(`mutation($id: ID!) { updateDataset(input: { id: $id, weight: 0.5, contract: { requiredColumns: ["id"] } }) {
        dataset { weight contract { requiredColumns timestampColumn columnMap { pilot } } } } }`, { id: created.id }),
    ).updateDataset.dataset;
    expect(updated).toEqual({ weight: 0.5, contract: { requiredColumns: ['id'], timestampColumn: null, columnMap: [] } });
  });
});

describe('samples, profiles, reports and findings', () => {
  let workflowId: string;
  let datasetId: string;
  let pilotId: string;
  let productionId: string;
  let ids: { reportId: string; findingId: string };

  beforeAll(async () => {
    workflowId = await createWorkflow(api, 'Reports');
    datasetId = await createDataset(api, workflowId, 'cities');
    pilotId = await uploadCsv(api, datasetId, 'id,city\n1,Oslo\n2,Rome\n3,Lima\n', 'PILOT');
    productionId = await uploadCsv(api, datasetId, 'id,city\n1,Oslo\n2,Rome\n3,\n', 'PRODUCTION');
    await storeProfile(api.db, localId(productionId));
    ids = await storeReportAndFinding(api.db, {
      workflowId: localId(workflowId),
      datasetId: localId(datasetId),
      productionSampleId: localId(productionId),
      pilotSampleIds: [localId(pilotId)],
    });
  });

  it('reads a sample with its profile as the contract names the fields', async () => {
    const sample = ok(
      await api.gql<any>(
        `query($id: ID!) { sample(id: $id) { id status progress error rows role filename
           profile { rows columns { name type completeness formatConsistency distinct counts topValues } json } } }`,
        { id: productionId },
      ),
    ).sample;
    expect(sample).toMatchObject({ id: productionId, status: 'PROFILED', progress: 1, error: null, rows: 3, role: 'PRODUCTION' });
    expect(sample.profile.rows).toBe(PROFILE_DOCUMENT.rows);
    expect(sample.profile.columns).toEqual(
      PROFILE_DOCUMENT.columns.map((c) => ({
        name: c.name,
        type: c.type,
        completeness: c.completeness,
        formatConsistency: c.formatConsistency,
        distinct: c.distinct,
        counts: c.counts,
        topValues: c.topValues,
      })),
    );
    expect(sample.profile.json).toEqual(PROFILE_DOCUMENT);

    const pilot = ok(await api.gql<any>(`query($id: ID!) { sample(id: $id) { status profile { rows } } }`, { id: pilotId })).sample;
    expect(pilot).toEqual({ status: 'RECEIVED', profile: null });
  });

  it('lists samples of a dataset newest first, filtered by role and status', async () => {
    const all = ok(await api.gql<any>(`query($d: ID!) { dataset(id: $d) { samples { edges { node { id } } } } }`, { d: datasetId }));
    expect(all.dataset.samples.edges.map((e: any) => e.node.id)).toEqual([productionId, pilotId]);
    const pilots = ok(
      await api.gql<any>(`query($d: ID!) { dataset(id: $d) { samples(role: PILOT) { edges { node { id } } } } }`, { d: datasetId }),
    );
    expect(pilots.dataset.samples.edges.map((e: any) => e.node.id)).toEqual([pilotId]);
    const profiled = ok(
      await api.gql<any>(`query($w: ID!) { workflow(id: $w) { samples(status: [PROFILED]) { edges { node { id } } } } }`, { w: workflowId }),
    );
    expect(profiled.workflow.samples.edges.map((e: any) => e.node.id)).toEqual([productionId]);
  });

  it('reads the latest report with its dimensions, blockers and samples, and the workflow\'s report history', async () => {
    const dataset = ok(
      await api.gql<any>(
        `query($d: ID!) { dataset(id: $d) { latestReport { id score drsVersion confidence
           dimensions { completeness format freshness schema distribution } blockers { code message column }
           productionSample { id } pilotSamples { id } json } } }`,
        { d: datasetId },
      ),
    ).dataset;
    const report = dataset.latestReport;
    expect(localId(report.id)).toBe(ids.reportId);
    expect(report).toMatchObject({
      score: 72.5,
      drsVersion: 'drs-test',
      confidence: REPORT_DOCUMENT.confidence,
      dimensions: REPORT_DOCUMENT.dimensions,
      blockers: REPORT_DOCUMENT.blockers,
      productionSample: { id: productionId },
      pilotSamples: [{ id: pilotId }],
    });
    expect(report.json).toEqual(REPORT_DOCUMENT);
    const history = ok(await api.gql<any>(`query($w: ID!) { workflow(id: $w) { reports { edges { node { id } } } } }`, { w: workflowId }));
    expect(history.workflow.reports.edges.map((e: any) => e.node.id)).toEqual([report.id]);
  });

  it('lists findings by status and triages one with updateFinding', async () => {
    const open = ok(
      await api.gql<any>(
        `query($w: ID!) { workflow(id: $w) { findings(status: [OPEN]) { edges { node { id code dimension column severity message evidence status assignee } } } } }`,
        { w: workflowId },
      ),
    ).workflow.findings.edges;
    expect(open).toHaveLength(1);
    const finding = open[0].node;
    expect(localId(finding.id)).toBe(ids.findingId);
    expect(finding).toMatchObject({ code: 'NULL_RATE_INCREASE', dimension: 'completeness', column: 'city', status: 'OPEN', assignee: null });
    expect(finding.evidence).toEqual({ pilot: 0, production: 0.33 });

    const acknowledged = ok(
      await api.gql<any>(`mutation($id: ID!) { updateFinding(input: { id: $id, status: ACKNOWLEDGED, assignee: "dana" }) {
        finding { status assignee resolvedAt } } }`, { id: finding.id }),
    ).updateFinding.finding;
    expect(acknowledged).toEqual({ status: 'ACKNOWLEDGED', assignee: 'dana', resolvedAt: null });

    const resolved = ok(
      await api.gql<any>(`mutation($id: ID!) { updateFinding(input: { id: $id, status: RESOLVED, assignee: null }) {
        finding { status assignee resolvedAt } } }`, { id: finding.id }),
    ).updateFinding.finding;
    expect(resolved.status).toBe('RESOLVED');
    expect(resolved.assignee).toBeNull();
    expect(Number.isNaN(Date.parse(resolved.resolvedAt))).toBe(false);

    const stillOpen = ok(
      await api.gql<any>(`query($w: ID!) { workflow(id: $w) { findings(status: [OPEN]) { edges { node { id } } } } }`, { w: workflowId }),
    );
    expect(stillOpen.workflow.findings.edges).toEqual([]);

    const empty = await api.gql(`mutation($id: ID!) { updateFinding(input: { id: $id }) { finding { id } } }`, { id: finding.id });
    expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('API keys', () => {
  it('creates a key whose secret works once shown, lists it without the secret, and revokes it', async () => {
    const workflowId = await createWorkflow(api, 'Keys');
    const created = ok(
      await api.gql<any>(
        `mutation($w: ID!) { createApiKey(input: { name: "dashboard", read: [$w] }) { apiKey { id name prefix revoked scopes { admin read write } } secret } }`,
        { w: workflowId },
      ),
    ).createApiKey;
    expect(created.secret).toMatch(/^rc_[a-z0-9]+_[A-Za-z0-9]+$/);
    expect(created.secret.startsWith(`rc_${created.apiKey.prefix}_`)).toBe(true);
    expect(created.apiKey).toMatchObject({ name: 'dashboard', revoked: false, scopes: { admin: false, read: [workflowId], write: [] } });

    // Only the hash is at rest.
    const row = await api.db.selectFrom('api_keys').selectAll().where('id', '=', localId(created.apiKey.id)).executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(created.secret.split('_')[2]);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);

    const viewer = ok(await api.gql<any>(`{ viewer { admin apiKey { id name } } }`, {}, created.secret)).viewer;
    expect(viewer).toEqual({ admin: false, apiKey: { id: created.apiKey.id, name: 'dashboard' } });

    const listed = ok(await api.gql<any>(`{ apiKeys(first: 100) { edges { node { id name } } } }`)).apiKeys.edges.map((e: any) => e.node.id);
    expect(listed).toContain(created.apiKey.id);

    const revoked = ok(
      await api.gql<any>(`mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revoked revokedAt } } }`, { id: created.apiKey.id }),
    ).revokeApiKey.apiKey;
    expect(revoked.revoked).toBe(true);
    const refused = await api.gql(`{ viewer { admin } }`, {}, created.secret);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0]!.message).toMatch(/revoked/);
  });

  it('refuses a scoped key without workflows, and one naming a workflow that does not exist', async () => {
    const none = await api.gql(`mutation { createApiKey(input: { name: "nothing" }) { secret } }`);
    expect(errorCodes(none)).toEqual(['BAD_USER_INPUT']);
    const ghost = Buffer.from('Workflow:00000000-0000-4000-8000-000000000001').toString('base64url');
    const missing = await api.gql(`mutation($w: ID!) { createApiKey(input: { name: "ghost", read: [$w] }) { secret } }`, { w: ghost });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
  });

  it('refuses requests without a key, with a malformed header, or with an unknown key', async () => {
    const cases: Array<[string | null, Record<string, string>, RegExp]> = [
      [null, {}, /API key is required/],
      [null, { authorization: 'Basic abc' }, /Bearer/],
      [null, { authorization: 'Bearer rc_unknown0_00000000000000000000000000000000' }, /not valid/],
    ];
    for (const [, headers, message] of cases) {
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ workflows { edges { node { id } } } }' }),
      });
      const body = (await response.json()) as any;
      expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      expect(body.errors[0].message).toMatch(message);
    }
    // The schema itself stays public (introspection, __typename).
    const typename = await api.gql(`{ __typename }`, {}, null);
    expect(typename.data).toEqual({ __typename: 'Query' });
  });
});

describe('query limits', () => {
  it('rejects queries beyond the depth, alias, token, field and cost limits with QUERY_TOO_COMPLEX naming the setting and its value', async () => {
    const deep = `{ workflows { edges { node { owner { workflows { edges { node { owner { workflows { edges { node { id } } } } } } } } } } } }`;
    const aliases = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: viewer { admin }`).join(' ')} }`;
    const manyAliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const tokens = `{ ${Array.from({ length: 2500 }, () => '__typename').join(' ')} }`;
    const copies = `{ viewer { ${Array.from({ length: 800 }, () => 'admin').join(' ')} } }`;
    const costly = `{ workflows(first: 100) { edges { node { datasets(first: 100) { edges { node { samples(first: 100) { edges { node {
      profile { columns { name type completeness formatConsistency distinct counts numeric formats topValues freshness } } } } } } } } } } } }`;
    const expectations: Array<[string, string, RegExp]> = [
      [deep, 'GRAPHQL_MAX_DEPTH', /is 12 levels deep; the limit is 10 \(GRAPHQL_MAX_DEPTH\)/],
      [aliases, 'GRAPHQL_MAX_ALIASES', /has 20 aliases; the limit is 15 \(GRAPHQL_MAX_ALIASES\)/],
      // Over the token limit too, but what its author has to change is the aliases.
      [manyAliases, 'GRAPHQL_MAX_ALIASES', /has 1000 aliases; the limit is 15 \(GRAPHQL_MAX_ALIASES\)/],
      [tokens, 'GRAPHQL_MAX_TOKENS', /more than 2000 tokens; the limit is 2000 \(GRAPHQL_MAX_TOKENS\)/],
      [copies, 'GRAPHQL_MAX_FIELDS', /selects 801 fields; the limit is 200 \(GRAPHQL_MAX_FIELDS\)/],
      [costly, 'GRAPHQL_MAX_COST', /costs \d+ .*the limit is 50000 \(GRAPHQL_MAX_COST\)/],
    ];
    for (const [query, setting, message] of expectations) {
      const response = await api.gql(query);
      expect(new Set(errorCodes(response)), setting).toEqual(new Set(['QUERY_TOO_COMPLEX']));
      const error = response.errors!.find((e) => e.extensions?.setting === setting);
      expect(error?.message, JSON.stringify(response.errors)).toMatch(message);
      expect(error!.extensions).toMatchObject({ setting, limit: expect.any(Number) });
      expect(response.data ?? null).toBeNull();
    }
  });

  it('answers 400 to a query over a limit when the client accepts application/graphql-response+json', async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${api.adminKey}` },
      body: JSON.stringify({ query: `{ ${Array.from({ length: 800 }, () => '__typename').join(' ')} }` }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});
