import { builder } from '../builder.js';
import { DatasetRef, FindingRef, RealityReportRef, WorkflowRef } from './node-refs.js';
import { FindingStatusEnum } from './enums.js';

/** Something a person can act on. */
FindingRef.implement({
  description:
    'A difference between pilot and production a person can act on. It keeps its status and assignee while it persists across reports.',
  authScopes: (finding) => ({ readWorkflow: finding.workflow_id }),
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Kind of finding, e.g. NULL_RATE_INCREASE or FORMAT_CHANGED.' }),
    dimension: t.exposeString('dimension', { nullable: true, description: 'Score dimension it affects.' }),
    column: t.exposeString('column_name', { nullable: true, description: 'Column concerned, if any.' }),
    severity: t.exposeString('severity', { description: 'How serious it is (e.g. info, warning, error).' }),
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
