import type { Kysely } from 'kysely';
import type { Database, FindingStatus } from '../../src/db/database.js';
import type { TestApi } from './harness.js';

/** Database id (uuid) inside a global id, decoded here independently of the server code. */
export function localId(globalId: string): string {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  return text.slice(text.indexOf(':') + 1);
}

/** The type name inside a global id. */
export function typeOf(globalId: string): string {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  return text.slice(0, text.indexOf(':'));
}

/** Fails with the GraphQL errors when a response has any. */
export function ok<T>(response: { data?: T; errors?: unknown[] }): T {
  if (response.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

/** Creates a workflow with an inline owner; returns its global id. */
export async function createWorkflow(api: TestApi, name: string, owner = `${name} team`): Promise<string> {
  const data = ok(
    await api.gql<any>(
      `mutation($name: String!, $owner: String!) { createWorkflow(input: { name: $name, owner: { name: $owner } }) { workflow { id } } }`,
      { name, owner },
    ),
  );
  return data.createWorkflow.workflow.id;
}

/** Creates a dataset in a workflow; returns its global id. */
export async function createDataset(api: TestApi, workflowId: string, name: string): Promise<string> {
  const data = ok(
    await api.gql<any>(
      `mutation($w: ID!, $name: String!) { createDataset(input: { workflowId: $w, name: $name }) { dataset { id } } }`,
      { w: workflowId, name },
    ),
  );
  return data.createDataset.dataset.id;
}

/** createUpload: returns the sample's global id and the upload URL. */
export async function createUpload(
  api: TestApi,
  datasetId: string,
  options: { role?: 'PILOT' | 'PRODUCTION'; filename?: string; key?: string } = {},
): Promise<{ sampleId: string; uploadUrl: string }> {
  const data = ok(
    await api.gql<any>(
      `mutation($d: ID!, $role: SampleRole!, $f: String!) {
        createUpload(input: { datasetId: $d, role: $role, filename: $f }) { sample { id status } uploadUrl expiresAt }
      }`,
      { d: datasetId, role: options.role ?? 'PILOT', f: options.filename ?? 'data.csv' },
      options.key,
    ),
  );
  return { sampleId: data.createUpload.sample.id, uploadUrl: data.createUpload.uploadUrl };
}

/** PUTs bytes to an upload URL; returns status and parsed JSON body. */
export async function put(uploadUrl: string, body: Uint8Array | string): Promise<{ status: number; body: any }> {
  const response = await fetch(uploadUrl, { method: 'PUT', body });
  return { status: response.status, body: await response.json() };
}

/** Uploads CSV text through createUpload + PUT; returns the sample's global id. */
export async function uploadCsv(api: TestApi, datasetId: string, csv: string, role: 'PILOT' | 'PRODUCTION' = 'PILOT'): Promise<string> {
  const { sampleId, uploadUrl } = await createUpload(api, datasetId, { role });
  const result = await put(uploadUrl, csv);
  if (result.status !== 200) throw new Error(`upload failed: ${JSON.stringify(result.body)}`);
  return sampleId;
}

/** What a worker would store for a profiled sample, shaped as `realitycheck profile --json` prints it. */
export const PROFILE_DOCUMENT = {
  rows: 3,
  columns: [
    {
      name: 'id',
      type: 'integer',
      counts: { present: 3, empty: 0, whitespace: 0, sentinel: 0, missingField: 0 },
      completeness: 1,
      distinct: 3,
      numeric: { count: 3, min: 1, max: 3, mean: 2 },
      formats: { int: 3 },
      formatConsistency: 1,
      topValues: [['1', 1], ['2', 1], ['3', 1]],
      freshness: null,
    },
    {
      name: 'city',
      type: 'text',
      counts: { present: 2, empty: 1, whitespace: 0, sentinel: 0, missingField: 0 },
      completeness: 2 / 3,
      distinct: 2,
      numeric: null,
      formats: { 'title:Aa': 2 },
      formatConsistency: 0.5,
      topValues: [['Oslo', 1], ['Rome', 1]],
      freshness: null,
    },
  ],
};

/** A stored comparison, shaped as `realitycheck compare --json` prints it. */
export const REPORT_DOCUMENT = {
  score: 72.5,
  dimensions: { completeness: 80, format: 65.5, freshness: null, schema: 100, distribution: 50 },
  blockers: [{ code: 'REQUIRED_COLUMN_MISSING', message: 'required column "amount" is missing', column: 'amount' }],
  confidence: 'low',
};

/** Marks a sample PROFILED with a profile, as a worker would. */
export async function storeProfile(db: Kysely<Database>, sampleId: string, profile: unknown = PROFILE_DOCUMENT): Promise<void> {
  await db.insertInto('profiles').values({ sample_id: sampleId, engine_version: 'test-1', profile: JSON.stringify(profile), state: null }).execute();
  await db.updateTable('samples').set({ status: 'PROFILED', progress: 1, rows: 3 }).where('id', '=', sampleId).execute();
}

/** Database ids a stored report belongs to. */
export interface ReportIds {
  workflowId: string;
  datasetId: string;
  productionSampleId: string;
  pilotSampleIds: string[];
}

/** Stores a report of a dataset with the given document, as a worker would; returns its database id. */
export async function storeReport(db: Kysely<Database>, ids: ReportIds, document: unknown = REPORT_DOCUMENT): Promise<string> {
  const report = await db
    .insertInto('reality_reports')
    .values({
      workflow_id: ids.workflowId,
      dataset_id: ids.datasetId,
      production_sample_id: ids.productionSampleId,
      pilot_sample_ids: ids.pilotSampleIds,
      score: 72.5,
      drs_version: 'drs-test',
      report: JSON.stringify(document),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return report.id;
}

/** What a stored finding differs in; the rest takes test defaults. */
export interface FindingSeed {
  fingerprint: string;
  severity?: string;
  code?: string;
  dimension?: string | null;
  column?: string | null;
  status?: FindingStatus;
  createdAt?: Date;
}

/** Stores a finding of a dataset raised by a report, as a worker would; returns its database id. */
export async function storeFinding(db: Kysely<Database>, ids: { workflowId: string; datasetId: string; reportId: string }, seed: FindingSeed): Promise<string> {
  const finding = await db
    .insertInto('findings')
    .values({
      workflow_id: ids.workflowId,
      dataset_id: ids.datasetId,
      fingerprint: seed.fingerprint,
      code: seed.code ?? 'NULL_RATE_INCREASE',
      dimension: seed.dimension === undefined ? 'completeness' : seed.dimension,
      column_name: seed.column === undefined ? 'city' : seed.column,
      severity: seed.severity ?? 'warning',
      message: 'city is empty in 33% of production rows (0% in the pilot)',
      evidence: JSON.stringify({ pilot: 0, production: 0.33 }),
      status: seed.status,
      first_report_id: ids.reportId,
      last_report_id: ids.reportId,
      ...(seed.createdAt ? { created_at: seed.createdAt, updated_at: seed.createdAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return finding.id;
}

/** Stores a report and one finding of a dataset, as a worker would; returns their database ids. */
export async function storeReportAndFinding(db: Kysely<Database>, ids: ReportIds): Promise<{ reportId: string; findingId: string }> {
  const reportId = await storeReport(db, ids);
  const findingId = await storeFinding(db, { ...ids, reportId }, { fingerprint: `null-rate:city:${reportId}` });
  return { reportId, findingId };
}
