import { listDatasets } from '../../db/datasets.js';
import type { WorkflowRow } from '../../db/database.js';
import { listReports } from '../../db/reality-reports.js';
import { listSamples } from '../../db/samples.js';
import { builder } from '../builder.js';
import { DatasetConnection, FindingConnection, RealityReportConnection, SampleConnection } from './connections.js';
import { FINDINGS_ORDER, FindingFilterInput, resolveFindings } from './finding.js';
import { DatasetRef, FindingRef, OwnerRef, RealityReportRef, SampleRef, WorkflowRef } from './node-refs.js';
import { resolvePage } from '../connection.js';
import { FindingStatusEnum, SampleRoleEnum, SampleStatusEnum } from './enums.js';

/** Workflow settings, grouped. */
export const WorkflowSettingsRef = builder.objectRef<WorkflowRow>('WorkflowSettings').implement({
  description:
    'How a workflow is judged: readiness target, freshness SLA and raw-data retention. Durations are ISO-8601 (P7D, PT12H, P1M); a month counts 30 days and a year 365.',
  fields: (t) => ({
    readinessTarget: t.exposeInt('readiness_target', {
      description: 'Score (0–100) the workflow must reach to be considered ready for production.',
    }),
    freshnessWarnAfter: t.exposeString('freshness_warn_after', {
      description: 'ISO-8601 duration: data older than this (at extraction) is a freshness warning.',
    }),
    freshnessErrorAfter: t.exposeString('freshness_error_after', {
      description: 'ISO-8601 duration: data older than this (at extraction) is a freshness error.',
    }),
    rawRetention: t.exposeString('raw_retention', {
      description: 'ISO-8601 duration for which raw uploaded blocks are kept; profiles are kept forever.',
    }),
  }),
});

/** An AI use case and its data. */
WorkflowRef.implement({
  description: 'An AI use case (e.g. "invoice triage") whose pilot and production data are compared.',
  authScopes: (workflow) => ({ readWorkflow: workflow.id }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name of the workflow.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the workflow does.' }),
    owner: t.field({ type: OwnerRef, description: 'Who is accountable for it.', resolve: (w) => w.owner_id }),
    settings: t.field({ type: WorkflowSettingsRef, description: 'Readiness and freshness settings.', resolve: (w) => w }),
    score: t.float({
      nullable: true,
      description: 'Data-reality score (0–100): weighted mean of its datasets\' latest scores; null until a report exists.',
      resolve: (w) => w.score,
    }),
    scoreUpdatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the score last changed.',
      resolve: (w) => w.score_updated_at,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When the workflow was created.', resolve: (w) => w.created_at }),
    updatedAt: t.field({ type: 'DateTime', description: 'When the workflow was last changed.', resolve: (w) => w.updated_at }),
    datasets: t.connection({
      type: DatasetRef,
      description: 'Datasets the workflow consumes, oldest first.',
      resolve: (w, args, context) => resolvePage(args, (page) => listDatasets(context.db, w.id, page)),
    }, DatasetConnection),
    samples: t.connection({
      type: SampleRef,
      description: 'Samples of all its datasets, newest first.',
      args: {
        role: t.arg({ type: SampleRoleEnum, required: false, description: 'Only samples of this role.' }),
        status: t.arg({ type: [SampleStatusEnum], required: false, description: 'Only samples in one of these states.' }),
      },
      resolve: (w, args, context) =>
        resolvePage(args, (page) =>
          listSamples(context.db, { workflowId: w.id, role: args.role ?? undefined, statuses: args.status ?? undefined }, page),
        ),
    }, SampleConnection),
    findings: t.connection({
      type: FindingRef,
      description: `Findings of its datasets, ${FINDINGS_ORDER}.`,
      args: {
        filter: t.arg({ type: FindingFilterInput, required: false, description: 'Only the findings that pass this filter.' }),
        status: t.arg({
          type: [FindingStatusEnum],
          required: false,
          description: 'Only findings in one of these states (an empty list keeps all).',
          deprecationReason: 'Use filter: { status: [...] }.',
        }),
      },
      resolve: (w, args, context) => resolveFindings(context, { workflowId: w.id }, args),
    }, FindingConnection),
    reports: t.connection({
      type: RealityReportRef,
      description: 'Reality reports of its datasets, newest first: the history behind the score.',
      resolve: (w, args, context) => resolvePage(args, (page) => listReports(context.db, { workflowId: w.id }, page)),
    }, RealityReportConnection),
  }),
});
