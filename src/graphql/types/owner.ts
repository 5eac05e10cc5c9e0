import { listWorkflows } from '../../db/workflows.js';
import { builder } from '../builder.js';
import { WorkflowConnection } from './connections.js';
import { OwnerRef, WorkflowRef } from './node-refs.js';
import { resolvePage } from '../connection.js';

/** The accountable team or person behind workflows. */
OwnerRef.implement({
  description: 'The team or person accountable for workflows. Every workflow has exactly one owner.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name of the team or person.' }),
    contact: t.exposeString('contact', { nullable: true, description: 'How to reach them (e-mail, channel…).' }),
    createdAt: t.field({ type: 'DateTime', description: 'When the owner was created.', resolve: (o) => o.created_at }),
    workflows: t.connection({
      type: WorkflowRef,
      description: 'Workflows of this owner that the API key may read, oldest first.',
      resolve: (owner, args, context) =>
        resolvePage(args, (page) =>
          listWorkflows(context.db, page, { ownerId: owner.id, ids: context.access.readableWorkflowIds() }),
        ),
    }, WorkflowConnection),
  }),
});
