
import { findProfilesBySampleIds } from '../../db/profiles.js';
import { builder } from '../builder.js';
import { DatasetRef, SampleRef, WorkflowRef } from './node-refs.js';
import { CsvDialectRef, toDialectDocument } from './csv-dialect.js';
import { SampleRoleEnum, SampleStatusEnum } from './enums.js';
import { ProfileRef } from './profile.js';

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
    progress: t.exposeFloat('progress', { description: 'Profiling progress, 0–1.' }),
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
