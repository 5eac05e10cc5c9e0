import { updateFinding } from '../../db/findings.js';
import { builder } from '../builder.js';
import { FindingRef } from '../types/node-refs.js';
import { badInput, notFound } from '../errors.js';
import { encodeGlobalId } from '../global-id.js';
import { writableFinding } from '../guards.js';
import { FindingStatusEnum } from '../types/enums.js';
import { optionalTextSchema } from './input-schemas.js';

builder.relayMutationField(
  'updateFinding',
  {
    description: 'Input of updateFinding: give status, assignee or both. `assignee: null` unassigns.',
    inputFields: (t) => ({
      id: t.globalID({ required: true, for: FindingRef, description: 'The finding to change.' }),
      status: t.field({ type: FindingStatusEnum, required: false, description: 'New triage state.' }),
      assignee: t.string({ required: false, description: 'Who is on it (free text); null to unassign.', validate: optionalTextSchema(200) }),
    }),
  },
  {
    description: 'Triages a finding: changes its status and/or assignee (write scope on its workflow).',
    nullable: true,
    authScopes: { authenticated: true },
    resolve: async (_root, { input }, context) => {
      const current = await writableFinding(context, input.id.id);
      if (input.status == null && input.assignee === undefined) {
        throw badInput('input', 'give status, assignee or both');
      }
      const finding = await updateFinding(context.db, current.id, {
        status: input.status ?? undefined,
        assignee: input.assignee === undefined ? undefined : input.assignee?.trim() || null,
      });
      if (!finding) throw notFound('Finding', encodeGlobalId('Finding', current.id));
      return { finding };
    },
  },
  {
    description: 'Result of updateFinding.',
    outputFields: (t) => ({
      finding: t.field({ type: FindingRef, description: 'The finding as changed.', resolve: (payload) => payload.finding }),
    }),
  },
);
