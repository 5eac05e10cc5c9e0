import type { WorkflowRow } from '../../db/database.js';
import { findOwnersByIds, insertOwner } from '../../db/owners.js';
import { insertWorkflow, updateWorkflow, type WorkflowValues } from '../../db/workflows.js';
import { builder } from '../builder.js';
import { OwnerRef, WorkflowRef } from '../types/node-refs.js';
import type { GraphQLContext } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { encodeGlobalId } from '../global-id.js';
import { writableWorkflow } from '../guards.js';
import { isoDurationSeconds } from '../../engine/profile/iso-duration.js';
import { durationSchema, nameSchema, optionalTextSchema, readinessTargetSchema } from './input-schemas.js';

/** Inline owner of createWorkflow. */
const OwnerInput = builder.inputType('OwnerInput', {
  description: 'An owner created together with a workflow.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name of the team or person.', validate: nameSchema }),
    contact: t.string({ required: false, description: 'How to reach them.', validate: optionalTextSchema(500) }),
  }),
});

function checkFreshnessOrder(warn: string, error: string): void {
  if (isoDurationSeconds(warn)! > isoDurationSeconds(error)!) {
    throw badInput('input.freshnessWarnAfter', `${warn} is longer than freshnessErrorAfter ${error}; the warning must come first`);
  }
}

async function visibleOwner(context: GraphQLContext, ownerId: string): Promise<string> {
  const [owner] = await findOwnersByIds(context.db, [ownerId]);
  const visible = await context.visibleOwnerIds();
  if (!owner || (visible !== undefined && !visible.has(owner.id))) throw notFound('Owner', encodeGlobalId('Owner', ownerId));
  return owner.id;
}

builder.relayMutationField(
  'createWorkflow',
  {
    description: 'Input of createWorkflow. Give the owner either by id (`ownerId`) or inline (`owner`).',
    inputFields: (t) => ({
      name: t.string({ required: true, description: 'Name of the workflow.', validate: nameSchema }),
      description: t.string({ required: false, description: 'What the workflow does.', validate: optionalTextSchema(2000) }),
      ownerId: t.globalID({ required: false, for: OwnerRef, description: 'An existing owner.' }),
      owner: t.field({ type: OwnerInput, required: false, description: 'A new owner to create with the workflow.' }),
      readinessTarget: t.int({ required: false, description: 'Score needed to go live (0–100, default 80).', validate: readinessTargetSchema }),
      freshnessWarnAfter: t.string({ required: false, description: 'ISO-8601 duration, default P7D.', validate: durationSchema }),
      freshnessErrorAfter: t.string({ required: false, description: 'ISO-8601 duration, default P30D.', validate: durationSchema }),
      rawRetention: t.string({ required: false, description: 'ISO-8601 duration raw blocks are kept, default P7D.', validate: durationSchema }),
    }),
  },
  {
    description: 'Creates a workflow (admin only).',
    nullable: true,
    authScopes: { admin: true },
    resolve: async (_root, { input }, context) => {
      if ((input.ownerId ? 1 : 0) + (input.owner ? 1 : 0) !== 1) {
        throw badInput('input.ownerId', 'give exactly one of ownerId (an existing owner) or owner (a new one)');
      }
      checkFreshnessOrder(input.freshnessWarnAfter?.trim() ?? 'P7D', input.freshnessErrorAfter?.trim() ?? 'P30D');
      const values: WorkflowValues = {
        name: input.name.trim(),
        description: input.description?.trim() || null,
        readiness_target: input.readinessTarget ?? undefined,
        freshness_warn_after: input.freshnessWarnAfter?.trim(),
        freshness_error_after: input.freshnessErrorAfter?.trim(),
        raw_retention: input.rawRetention?.trim(),
      };
      const workflow = await context.db.transaction().execute(async (trx) => {
        const ownerId = input.ownerId
          ? await visibleOwner(context, input.ownerId.id)
          : (await insertOwner(trx, { name: input.owner!.name.trim(), contact: input.owner!.contact?.trim() || null })).id;
        return insertWorkflow(trx, { ...values, owner_id: ownerId });
      });
      return { workflow };
    },
  },
  {
    description: 'Result of createWorkflow.',
    outputFields: (t) => ({
      workflow: t.field({ type: WorkflowRef, description: 'The new workflow.', resolve: (payload) => payload.workflow }),
    }),
  },
);

builder.relayMutationField(
  'updateWorkflow',
  {
    description: 'Input of updateWorkflow: the fields to change; omitted fields keep their value.',
    inputFields: (t) => ({
      id: t.globalID({ required: true, for: WorkflowRef, description: 'The workflow to change.' }),
      name: t.string({ required: false, description: 'New name.', validate: nameSchema }),
      description: t.string({ required: false, description: 'New description (empty string clears it).', validate: optionalTextSchema(2000) }),
      ownerId: t.globalID({ required: false, for: OwnerRef, description: 'New owner.' }),
      readinessTarget: t.int({ required: false, description: 'Score needed to go live (0–100).', validate: readinessTargetSchema }),
      freshnessWarnAfter: t.string({ required: false, description: 'ISO-8601 duration.', validate: durationSchema }),
      freshnessErrorAfter: t.string({ required: false, description: 'ISO-8601 duration.', validate: durationSchema }),
      rawRetention: t.string({ required: false, description: 'ISO-8601 duration.', validate: durationSchema }),
    }),
  },
  {
    description: 'Changes a workflow\'s name, description, owner or settings (write scope on the workflow).',
    nullable: true,
    authScopes: { authenticated: true },
    resolve: async (_root, { input }, context) => {
      const current: WorkflowRow = await writableWorkflow(context, input.id.id);
      const warn = input.freshnessWarnAfter?.trim() ?? current.freshness_warn_after;
      const error = input.freshnessErrorAfter?.trim() ?? current.freshness_error_after;
      checkFreshnessOrder(warn, error);
      const patch: Partial<WorkflowValues> & { owner_id?: string } = {};
      if (input.name != null) patch.name = input.name.trim();
      if (input.description !== undefined) patch.description = input.description?.trim() || null;
      if (input.ownerId) patch.owner_id = await visibleOwner(context, input.ownerId.id);
      if (input.readinessTarget != null) patch.readiness_target = input.readinessTarget;
      if (input.freshnessWarnAfter != null) patch.freshness_warn_after = warn;
      if (input.freshnessErrorAfter != null) patch.freshness_error_after = error;
      if (input.rawRetention != null) patch.raw_retention = input.rawRetention.trim();
      const workflow = await updateWorkflow(context.db, current.id, patch);
      if (!workflow) throw notFound('Workflow', encodeGlobalId('Workflow', current.id));
      return { workflow };
    },
  },
  {
    description: 'Result of updateWorkflow.',
    outputFields: (t) => ({
      workflow: t.field({ type: WorkflowRef, description: 'The workflow as changed.', resolve: (payload) => payload.workflow }),
    }),
  },
);
