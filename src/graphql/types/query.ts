import { listApiKeys } from '../../db/api-keys.js';
import { listOwners } from '../../db/owners.js';
import { listWorkflows } from '../../db/workflows.js';
import { builder } from '../builder.js';
import { ApiKeyConnection, OwnerConnection, WorkflowConnection } from './connections.js';
import { ApiKeyRef, DatasetRef, FindingRef, OwnerRef, RealityReportRef, SampleRef, WorkflowRef } from './node-refs.js';
import { resolvePage } from '../connection.js';
import { ViewerRef } from './viewer.js';

builder.queryType({
  description:
    'Entry points for reading. Every field needs an API key (`Authorization: Bearer <secret>`); objects of workflows the key may not read are NOT_FOUND.',
  fields: (t) => ({
    viewer: t.field({
      type: ViewerRef,
      description: 'The API key making the request.',
      authScopes: { authenticated: true },
      resolve: (_root, _args, context) => context.access,
    }),
    workflow: t.field({
      type: WorkflowRef,
      nullable: true,
      description: 'A workflow by id.',
      authScopes: { authenticated: true },
      args: { id: t.arg.globalID({ required: true, for: WorkflowRef, description: 'Global id of the workflow.' }) },
      resolve: (_root, args) => args.id.id,
    }),
    workflows: t.connection({
      nullable: true,
      type: WorkflowRef,
      description: 'Workflows the key may read, oldest first.',
      authScopes: { authenticated: true },
      resolve: (_root, args, context) =>
        resolvePage(args, (page) => listWorkflows(context.db, page, { ids: context.access.readableWorkflowIds() })),
    }, WorkflowConnection),
    owner: t.field({
      type: OwnerRef,
      nullable: true,
      description: 'An owner by id (visible when it owns a workflow the key may read).',
      authScopes: { authenticated: true },
      args: { id: t.arg.globalID({ required: true, for: OwnerRef, description: 'Global id of the owner.' }) },
      resolve: (_root, args) => args.id.id,
    }),
    owners: t.connection({
      nullable: true,
      type: OwnerRef,
      description: 'Owners the key may see (all for an admin key; else the owners of its workflows), oldest first.',
      authScopes: { authenticated: true },
      resolve: (_root, args, context) =>
        resolvePage(args, (page) => listOwners(context.db, page, { workflowIds: context.access.readableWorkflowIds() })),
    }, OwnerConnection),
    dataset: t.field({
      type: DatasetRef,
      nullable: true,
      description: 'A dataset by id.',
      authScopes: { authenticated: true },
      args: { id: t.arg.globalID({ required: true, for: DatasetRef, description: 'Global id of the dataset.' }) },
      resolve: (_root, args) => args.id.id,
    }),
    sample: t.field({
      type: SampleRef,
      nullable: true,
      description: 'A sample by id: poll it for status and progress, read its profile once PROFILED.',
      authScopes: { authenticated: true },
      args: { id: t.arg.globalID({ required: true, for: SampleRef, description: 'Global id of the sample.' }) },
      resolve: (_root, args) => args.id.id,
    }),
    realityReport: t.field({
      type: RealityReportRef,
      nullable: true,
      description: 'A reality report by id.',
      authScopes: { authenticated: true },
      args: { id: t.arg.globalID({ required: true, for: RealityReportRef, description: 'Global id of the report.' }) },
      resolve: (_root, args) => args.id.id,
    }),
    finding: t.field({
      type: FindingRef,
      nullable: true,
      description: 'A finding by id.',
      authScopes: { authenticated: true },
      args: { id: t.arg.globalID({ required: true, for: FindingRef, description: 'Global id of the finding.' }) },
      resolve: (_root, args) => args.id.id,
    }),
    apiKeys: t.connection({
      nullable: true,
      type: ApiKeyRef,
      description: 'All API keys, oldest first (admin only).',
      authScopes: { admin: true },
      resolve: (_root, args, context) => resolvePage(args, (page) => listApiKeys(context.db, page)),
    }, ApiKeyConnection),
  }),
});
