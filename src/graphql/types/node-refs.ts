import { findApiKeysByIds } from '../../db/api-keys.js';
import { findDatasetsByIds } from '../../db/datasets.js';
import type {
  ApiKeyRow,
  DatasetRow,
  FindingRow,
  OwnerRow,
  RealityReportRow,
  SampleRow,
  WorkflowRow,
} from '../../db/database.js';
import { findFindingsByIds } from '../../db/findings.js';
import { findOwnersByIds } from '../../db/owners.js';
import { findReportsByIds } from '../../db/reality-reports.js';
import { findSamplesByIds } from '../../db/samples.js';
import { findWorkflowsByIds } from '../../db/workflows.js';
import { builder } from '../builder.js';
import { loadVisible } from '../loaders.js';

/*
 * References of every node type, with how each is loaded (batched per request) and who may see
 * it. Declared apart from their fields so that types can refer to each other freely; each
 * type's fields are implemented in its own file.
 */

export const OwnerRef = builder.loadableNodeRef('Owner', {
  id: { resolve: (owner: OwnerRow) => owner.id },
  load: (ids: string[], context) =>
    loadVisible<OwnerRow>('Owner', ids, (wanted) => findOwnersByIds(context.db, wanted), async (owner) => {
      const visible = await context.visibleOwnerIds();
      return visible === undefined || visible.has(owner.id);
    }),
});

export const WorkflowRef = builder.loadableNodeRef('Workflow', {
  id: { resolve: (workflow: WorkflowRow) => workflow.id },
  load: (ids: string[], context) =>
    loadVisible<WorkflowRow>('Workflow', ids, (wanted) => findWorkflowsByIds(context.db, wanted), (w) =>
      context.access.canRead(w.id),
    ),
});

export const DatasetRef = builder.loadableNodeRef('Dataset', {
  id: { resolve: (dataset: DatasetRow) => dataset.id },
  load: (ids: string[], context) =>
    loadVisible<DatasetRow>('Dataset', ids, (wanted) => findDatasetsByIds(context.db, wanted), (d) =>
      context.access.canRead(d.workflow_id),
    ),
});

export const SampleRef = builder.loadableNodeRef('Sample', {
  id: { resolve: (sample: SampleRow) => sample.id },
  load: (ids: string[], context) =>
    loadVisible<SampleRow>('Sample', ids, (wanted) => findSamplesByIds(context.db, wanted), (s) =>
      context.access.canRead(s.workflow_id),
    ),
});

export const RealityReportRef = builder.loadableNodeRef('RealityReport', {
  id: { resolve: (report: RealityReportRow) => report.id },
  load: (ids: string[], context) =>
    loadVisible<RealityReportRow>('RealityReport', ids, (wanted) => findReportsByIds(context.db, wanted), (r) =>
      context.access.canRead(r.workflow_id),
    ),
});

export const FindingRef = builder.loadableNodeRef('Finding', {
  id: { resolve: (finding: FindingRow) => finding.id },
  load: (ids: string[], context) =>
    loadVisible<FindingRow>('Finding', ids, (wanted) => findFindingsByIds(context.db, wanted), (f) =>
      context.access.canRead(f.workflow_id),
    ),
});

/** Admin keys see every key; other keys only themselves. */
export const ApiKeyRef = builder.loadableNodeRef('ApiKey', {
  id: { resolve: (key: ApiKeyRow) => key.id },
  load: (ids: string[], context) =>
    loadVisible<ApiKeyRow>('ApiKey', ids, (wanted) => findApiKeysByIds(context.db, wanted), (k) =>
      context.access.admin || context.access.key?.id === k.id,
    ),
});
