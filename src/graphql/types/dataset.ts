import type { DatasetContract, DatasetRow } from '../../db/database.js';
import { findLatestReportsByDatasetIds, listReports } from '../../db/reality-reports.js';
import { listSamples } from '../../db/samples.js';
import { builder } from '../builder.js';
import { FindingConnection, RealityReportConnection, SampleConnection } from './connections.js';
import { FINDINGS_ORDER, FindingFilterInput, resolveFindings } from './finding.js';
import { DatasetRef, FindingRef, RealityReportRef, SampleRef, WorkflowRef } from './node-refs.js';
import { resolvePage } from '../connection.js';
import { FindingStatusEnum, SampleRoleEnum, SampleStatusEnum } from './enums.js';

/** One rename between systems. */
export const ColumnMappingRef = builder.objectRef<{ pilot: string; production: string }>('ColumnMapping').implement({
  description: 'A column that production names differently from the pilot.',
  fields: (t) => ({
    pilot: t.exposeString('pilot', { description: 'Column name in pilot samples.' }),
    production: t.exposeString('production', { description: 'Column name in production samples.' }),
  }),
});

/** The optional column contract. */
export const DatasetContractRef = builder.objectRef<DatasetContract>('DatasetContract').implement({
  description: 'What the workflow expects of a dataset\'s columns. Every part is optional.',
  fields: (t) => ({
    requiredColumns: t.stringList({
      description: 'Columns the workflow cannot do without (pilot names); missing or empty ones are blockers.',
      resolve: (c) => c.requiredColumns ?? [],
    }),
    timestampColumn: t.string({
      nullable: true,
      description: 'Column whose values date the records, used for freshness (pilot name); inferred when null.',
      resolve: (c) => c.timestampColumn ?? null,
    }),
    columnMap: t.field({
      type: [ColumnMappingRef],
      description: 'Renames between pilot and production column names.',
      resolve: (c) => Object.entries(c.columnMap ?? {}).map(([pilot, production]) => ({ pilot, production })),
    }),
    sensitiveColumns: t.stringList({
      description: 'Columns whose values are never shown in clear (top values and examples are masked).',
      resolve: (c) => c.sensitiveColumns ?? [],
    }),
  }),
});

/** Why the dataset's report could not be computed. */
export const DatasetReportErrorRef = builder.objectRef<DatasetRow>('DatasetReportError').implement({
  description:
    "Why the last attempt at the dataset's report failed. While it is set, `latestReport` (if any) is out of date (`stale`). Cleared when a report is computed again.",
  fields: (t) => ({
    code: t.string({
      description:
        'PILOT_COLUMNS_DIFFER (the active PILOT samples do not all have the same columns), BAD_STATE (a stored profile cannot be read), ' +
        'NO_PILOT / NO_PRODUCTION (the dataset has a report but no active, profiled sample of that role any more), REPORT_FAILED (computing it kept failing), REPORT_TOO_LARGE (comparing the samples needs more memory than a worker thread may use).',
      resolve: (d) => d.report_error_code ?? '',
    }),
    message: t.string({ description: 'What is wrong and what to do, for a person.', resolve: (d) => d.report_error_message ?? '' }),
    at: t.field({ type: 'DateTime', description: 'When the attempt failed.', resolve: (d) => d.report_error_at ?? d.created_at }),
    sample: t.field({
      type: SampleRef,
      nullable: true,
      description: 'The sample concerned (e.g. the PILOT sample whose columns differ), when one is.',
      resolve: (d) => d.report_error_sample_id,
    }),
  }),
});

/** One logical table a workflow consumes. */
DatasetRef.implement({
  description: 'One logical table a workflow consumes (e.g. "invoices from ERP"), sampled as PILOT and PRODUCTION files.',
  authScopes: (dataset) => ({ readWorkflow: dataset.workflow_id }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name of the dataset, unique within its workflow.' }),
    weight: t.exposeFloat('weight', { description: 'Weight of this dataset in the workflow score.' }),
    contract: t.field({ type: DatasetContractRef, description: 'The column contract.', resolve: (d) => d.contract ?? {} }),
    workflow: t.field({ type: WorkflowRef, description: 'The workflow it belongs to.', resolve: (d) => d.workflow_id }),
    createdAt: t.field({ type: 'DateTime', description: 'When the dataset was created.', resolve: (d) => d.created_at }),
    samples: t.connection({
      type: SampleRef,
      description: 'Uploaded samples, newest first.',
      args: {
        role: t.arg({ type: SampleRoleEnum, required: false, description: 'Only samples of this role.' }),
        status: t.arg({ type: [SampleStatusEnum], required: false, description: 'Only samples in one of these states.' }),
      },
      resolve: (d, args, context) =>
        resolvePage(args, (page) =>
          listSamples(context.db, { datasetId: d.id, role: args.role ?? undefined, statuses: args.status ?? undefined }, page),
        ),
    }, SampleConnection),
    latestReport: t.loadable({
      type: RealityReportRef,
      nullable: true,
      description: 'The newest reality report of this dataset, or null before the first comparison.',
      load: async (datasetIds: string[], context) => {
        const reports = await findLatestReportsByDatasetIds(context.db, datasetIds);
        const byDataset = new Map(reports.map((r) => [r.dataset_id, r]));
        return datasetIds.map((id) => byDataset.get(id) ?? null);
      },
      resolve: (d) => d.id,
    }),
    reportError: t.field({
      type: DatasetReportErrorRef,
      nullable: true,
      description: 'Why the last attempt at the report failed (latestReport is then stale), or null when the latest attempt succeeded.',
      resolve: (d) => (d.report_error_code ? d : null),
    }),
    reports: t.connection({
      type: RealityReportRef,
      description: 'All reality reports of this dataset, newest first.',
      resolve: (d, args, context) => resolvePage(args, (page) => listReports(context.db, { datasetId: d.id }, page)),
    }, RealityReportConnection),
    findings: t.connection({
      type: FindingRef,
      description: `Findings of this dataset, ${FINDINGS_ORDER}.`,
      args: {
        filter: t.arg({ type: FindingFilterInput, required: false, description: 'Only the findings that pass this filter.' }),
        status: t.arg({
          type: [FindingStatusEnum],
          required: false,
          description: 'Only findings in one of these states (an empty list keeps all).',
          deprecationReason: 'Use filter: { status: [...] }.',
        }),
      },
      resolve: (d, args, context) => resolveFindings(context, { datasetId: d.id }, args),
    }, FindingConnection),
  }),
});
