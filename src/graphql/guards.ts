import { findDatasetsByIds } from '../db/datasets.js';
import type { DatasetRow, FindingRow, SampleRow, WorkflowRow } from '../db/database.js';
import { findFindingsByIds } from '../db/findings.js';
import { findSamplesByIds } from '../db/samples.js';
import { findWorkflowsByIds } from '../db/workflows.js';
import type { GraphQLContext } from './context.js';
import { notFound } from './errors.js';
import { encodeGlobalId } from './global-id.js';

/** Loads a workflow the caller may write to, or throws NOT_FOUND / FORBIDDEN / UNAUTHENTICATED. */
export async function writableWorkflow(context: GraphQLContext, id: string): Promise<WorkflowRow> {
  context.access.requireAuthenticated();
  const globalId = encodeGlobalId('Workflow', id);
  const [row] = await findWorkflowsByIds(context.db, [id]);
  if (!row) throw notFound('Workflow', globalId);
  context.access.requireWrite(row.id, 'Workflow', globalId);
  return row;
}

/** Loads a dataset the caller may write to (through its workflow), or throws. */
export async function writableDataset(context: GraphQLContext, id: string): Promise<DatasetRow> {
  context.access.requireAuthenticated();
  const globalId = encodeGlobalId('Dataset', id);
  const [row] = await findDatasetsByIds(context.db, [id]);
  if (!row) throw notFound('Dataset', globalId);
  context.access.requireWrite(row.workflow_id, 'Dataset', globalId);
  return row;
}

/** Loads a finding the caller may write to (through its workflow), or throws. */
export async function writableFinding(context: GraphQLContext, id: string): Promise<FindingRow> {
  context.access.requireAuthenticated();
  const globalId = encodeGlobalId('Finding', id);
  const [row] = await findFindingsByIds(context.db, [id]);
  if (!row) throw notFound('Finding', globalId);
  context.access.requireWrite(row.workflow_id, 'Finding', globalId);
  return row;
}

/** Loads a sample the caller may write to (through its workflow: the rule of uploads), or throws. */
export async function writableSample(context: GraphQLContext, id: string): Promise<SampleRow> {
  context.access.requireAuthenticated();
  const globalId = encodeGlobalId('Sample', id);
  const [row] = await findSamplesByIds(context.db, [id]);
  if (!row) throw notFound('Sample', globalId);
  context.access.requireWrite(row.workflow_id, 'Sample', globalId);
  return row;
}
