
import type { ProfileRow } from '../../db/database.js';
import { findProfilesBySampleIds } from '../../db/profiles.js';
import { asArray, asNumber, asRecord, asString } from './json-read.js';
import { builder } from '../builder.js';
import { DatasetRef, SampleRef, WorkflowRef } from './node-refs.js';
import { CsvDialectRef, toDialectDocument } from './csv-dialect.js';
import { SampleRoleEnum, SampleStatusEnum } from './enums.js';
import { ProfileRef } from './profile.js';

/** One parse problem of a sample. */
export const CsvParseErrorRef = builder.objectRef<{ row: number; code: string; message: string }>('CsvParseError').implement({
  description: 'A place where the file is not well-formed CSV (e.g. a quote that is never closed), as the profiler met it.',
  fields: (t) => ({
    row: t.exposeInt('row', { description: 'Data row (1-based, header excluded) where the problem was met.' }),
    code: t.exposeString('code', { description: 'Kind of problem: MissingQuotes, InvalidQuotes, UndetectableDelimiter, TooFewFields, TooManyFields.' }),
    message: t.exposeString('message', { description: 'The problem, for a person.' }),
  }),
});

type ParseErrors = { count: number; first: Array<{ row: number; code: string; message: string }> };

/** The parse problems recorded in a profile document (`parseErrors: { count, first }`). */
function parseErrorsOf(profile: ProfileRow | null): ParseErrors | null {
  if (!profile) return null;
  const errors = asRecord(asRecord(profile.profile).parseErrors);
  return {
    count: asNumber(errors.count) ?? 0,
    first: asArray(errors.first).map((value) => {
      const problem = asRecord(value);
      return { row: asNumber(problem.row) ?? 0, code: asString(problem.code) ?? 'UNKNOWN', message: asString(problem.message) ?? '' };
    }),
  };
}

async function loadParseErrors(sampleIds: string[], context: { db: Parameters<typeof findProfilesBySampleIds>[0] }): Promise<Array<ParseErrors | null>> {
  const profiles = await findProfilesBySampleIds(context.db, sampleIds);
  const bySample = new Map(profiles.map((p) => [p.sample_id, p]));
  return sampleIds.map((id) => parseErrorsOf(bySample.get(id) ?? null));
}

/** One uploaded file. */
SampleRef.implement({
  description: 'One uploaded file of a dataset, tagged PILOT or PRODUCTION, and its profile once computed.',
  authScopes: (sample) => ({ readWorkflow: sample.workflow_id }),
  fields: (t) => ({
    dataset: t.field({ type: DatasetRef, description: 'The dataset it samples.', resolve: (s) => s.dataset_id }),
    workflow: t.field({ type: WorkflowRef, description: 'The workflow of its dataset.', resolve: (s) => s.workflow_id }),
    role: t.field({ type: SampleRoleEnum, description: 'PILOT or PRODUCTION.', resolve: (s) => s.role }),
    source: t.exposeString('source', { nullable: true, description: 'Source system the file came from (free text).' }),
    filename: t.exposeString('filename', { nullable: true, description: 'Name of the uploaded file.' }),
    extractedAt: t.field({
      type: 'DateTime',
      description: 'As-of time of the data (when it was extracted); freshness is measured against it.',
      resolve: (s) => s.extracted_at,
    }),
    status: t.field({ type: SampleStatusEnum, description: 'Lifecycle state.', resolve: (s) => s.status }),
    progress: t.exposeFloat('progress', {
      description:
        'Profiling progress, 0–1; it never goes backwards. Once the upload is complete, the share of blocks profiled; while it is still ' +
        'RECEIVING, estimated from the blocks already profiled (their bytes over the size the client announced), and below 1.',
    }),
    parseErrorCount: t.loadable({
      type: 'Int',
      nullable: true,
      description: 'How many places of the file are not well-formed CSV (e.g. an unterminated quote); known once the sample is PROFILED, else null.',
      load: async (sampleIds: string[], context) => (await loadParseErrors(sampleIds, context)).map((e) => (e ? e.count : null)),
      resolve: (s) => s.id,
    }),
    parseErrors: t.loadableList({
      type: CsvParseErrorRef,
      description: 'The first of those places (at most 10), with their row; empty until the sample is PROFILED.',
      load: async (sampleIds: string[], context) => (await loadParseErrors(sampleIds, context)).map((e) => e?.first ?? []),
      resolve: (s) => s.id,
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why the sample FAILED, for a person.' }),
    errorCode: t.string({
      nullable: true,
      description:
        'Why the sample FAILED, for a program: UPLOAD_TOO_LARGE, TOO_MANY_COLUMNS, RECORD_TOO_LONG, EMPTY_FILE, NOT_CSV, HEADER_TOO_LONG, DUPLICATE_CONTENT, UPLOAD_ABORTED, … ',
      resolve: (s) => s.error_code,
    }),
    rows: t.float({
      nullable: true,
      description: 'Data rows (an integer); known once profiled (0 at once for a header-only file).',
      resolve: (s) => (s.rows === null ? null : Number(s.rows)),
    }),
    byteSize: t.float({
      nullable: true,
      description: 'Size of the file in bytes (an integer); known once received.',
      resolve: (s) => (s.byte_size === null ? null : Number(s.byte_size)),
    }),
    sha256: t.exposeString('sha256', { nullable: true, description: 'SHA-256 of the file, hex; known once received.' }),
    blocksTotal: t.exposeInt('blocks_total', { nullable: true, description: 'Row-aligned blocks the file was cut into.' }),
    blocksDone: t.exposeInt('blocks_done', { description: 'Blocks profiled so far.' }),
    dialect: t.field({
      type: CsvDialectRef,
      nullable: true,
      description: 'How the file was read; known as soon as the header has been read (while the upload is still RECEIVING).',
      resolve: (s) => toDialectDocument(s.dialect),
    }),
    active: t.exposeBoolean('active', { description: 'Whether the sample takes part in baselines and reports.' }),
    rawDeletedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When its raw blocks were deleted under the retention setting (the profile is kept).',
      resolve: (s) => s.raw_deleted_at,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When the sample was created.', resolve: (s) => s.created_at }),
    updatedAt: t.field({ type: 'DateTime', description: 'When its state last changed.', resolve: (s) => s.updated_at }),
    profile: t.loadable({
      type: ProfileRef,
      nullable: true,
      description: 'The merged profile, once the sample is PROFILED.',
      load: async (sampleIds: string[], context) => {
        const profiles = await findProfilesBySampleIds(context.db, sampleIds);
        const bySample = new Map(profiles.map((p) => [p.sample_id, p]));
        return sampleIds.map((id) => bySample.get(id) ?? null);
      },
      resolve: (s) => s.id,
    }),
  }),
});
