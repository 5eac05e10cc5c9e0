import type { FindingStatus } from '../../db/database.js';
import { listFindings } from '../../db/findings.js';
import { builder } from '../builder.js';
import { resolvePage, type ConnectionArgs } from '../connection.js';
import type { GraphQLContext } from '../context.js';
import { DatasetRef, FindingRef, RealityReportRef, WorkflowRef } from './node-refs.js';
import { FindingSeverityEnum, FindingStatusEnum } from './enums.js';

/** What a findings list can be narrowed by. */
export const FindingFilterInput = builder.inputType('FindingFilter', {
  description:
    'Narrows a list of findings. Each field given keeps the findings whose value is in its list (an empty list keeps none); the fields combine: a finding must pass all of them.',
  fields: (t) => ({
    severity: t.field({ type: [FindingSeverityEnum], required: false, description: 'Only findings of these severities.' }),
    dimension: t.stringList({
      required: false,
      description: 'Only findings of these score dimensions: completeness, format, freshness, schema, distribution.',
    }),
    column: t.stringList({
      required: false,
      description: 'Only findings about these columns (as `Finding.column` names them); file-level findings have no column and never match.',
    }),
    status: t.field({ type: [FindingStatusEnum], required: false, description: 'Only findings in one of these triage states.' }),
  }),
});

/** Description of every findings list: its order. */
export const FINDINGS_ORDER = 'most severe first (critical, warning, info), then newest first';

/** The arguments of a findings connection besides paging, as the schema hands them over. */
export interface FindingListArgs extends ConnectionArgs {
  /** The former filter argument, kept for existing clients: an empty list keeps every finding. */
  readonly status?: readonly FindingStatus[] | null;
  readonly filter?: {
    readonly severity?: readonly string[] | null;
    readonly dimension?: readonly string[] | null;
    readonly column?: readonly string[] | null;
    readonly status?: readonly FindingStatus[] | null;
  } | null;
}

/** Resolves a findings connection of a workflow or a dataset (see {@link listFindings} for the order). */
export function resolveFindings(context: GraphQLContext, scope: { workflowId: string } | { datasetId: string }, args: FindingListArgs) {
  const filter = args.filter ?? {};
  const legacy = args.status && args.status.length > 0 ? args.status : undefined;
  const statuses = filter.status && legacy ? filter.status.filter((s) => legacy.includes(s)) : (filter.status ?? legacy);
  return resolvePage(
    args,
    (page) =>
      listFindings(
        context.db,
        {
          ...scope,
          severities: filter.severity ?? undefined,
          dimensions: filter.dimension ?? undefined,
          columns: filter.column ?? undefined,
          statuses: statuses ?? undefined,
        },
        page,
      ),
    { leadingKey: true },
  );
}

/** Something a person can act on. */
FindingRef.implement({
  description:
    'A difference between pilot and production a person can act on. It keeps its status and assignee while it persists across reports.',
  authScopes: (finding) => ({ readWorkflow: finding.workflow_id }),
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Kind of finding, e.g. NULL_RATE_INCREASE or FORMAT_CHANGED.' }),
    dimension: t.exposeString('dimension', { nullable: true, description: 'Score dimension it affects.' }),
    column: t.exposeString('column_name', { nullable: true, description: 'Column concerned, if any.' }),
    severity: t.exposeString('severity', { description: 'How serious it is: critical, warning or info (FindingSeverity in lower case).' }),
    message: t.exposeString('message', { description: 'What changed, for a person.' }),
    evidence: t.field({ type: 'JSON', nullable: true, description: 'Figures behind the finding.', resolve: (f) => f.evidence ?? null }),
    status: t.field({ type: FindingStatusEnum, description: 'Triage state.', resolve: (f) => f.status }),
    assignee: t.exposeString('assignee', { nullable: true, description: 'Who is on it (free text).' }),
    dataset: t.field({ type: DatasetRef, description: 'The dataset concerned.', resolve: (f) => f.dataset_id }),
    workflow: t.field({ type: WorkflowRef, description: 'The workflow concerned.', resolve: (f) => f.workflow_id }),
    firstReport: t.field({
      type: RealityReportRef,
      nullable: true,
      description: 'The report that first raised it.',
      resolve: (f) => f.first_report_id,
    }),
    lastReport: t.field({
      type: RealityReportRef,
      nullable: true,
      description: 'The latest report that still showed it.',
      resolve: (f) => f.last_report_id,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was first raised.', resolve: (f) => f.created_at }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (f) => f.updated_at }),
    resolvedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was resolved.', resolve: (f) => f.resolved_at }),
  }),
});
