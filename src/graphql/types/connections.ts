import { builder } from '../builder.js';
import { ApiKeyRef, DatasetRef, FindingRef, OwnerRef, RealityReportRef, SampleRef, WorkflowRef } from './node-refs.js';

/*
 * One connection type per node type, shared by every list of that type, so that clients see
 * `SampleConnection` wherever samples are paged.
 */

function connection<T extends Parameters<typeof builder.connectionObject>[0]['type']>(type: T, name: string, plural: string) {
  return builder.connectionObject(
    { type, name: `${name}Connection`, description: `A page of ${plural}, with cursors for the next and previous pages.` },
    { name: `${name}Edge`, description: `One ${name} in a page, with its cursor.` },
  );
}

export const OwnerConnection = connection(OwnerRef, 'Owner', 'owners');
export const WorkflowConnection = connection(WorkflowRef, 'Workflow', 'workflows');
export const DatasetConnection = connection(DatasetRef, 'Dataset', 'datasets');
export const SampleConnection = connection(SampleRef, 'Sample', 'samples');
export const RealityReportConnection = connection(RealityReportRef, 'RealityReport', 'reality reports');
export const FindingConnection = connection(FindingRef, 'Finding', 'findings');
export const ApiKeyConnection = connection(ApiKeyRef, 'ApiKey', 'API keys');
