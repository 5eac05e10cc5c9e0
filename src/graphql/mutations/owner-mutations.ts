import { insertOwner } from '../../db/owners.js';
import { builder } from '../builder.js';
import { OwnerRef } from '../types/node-refs.js';
import { nameSchema, optionalTextSchema } from './input-schemas.js';

builder.relayMutationField(
  'createOwner',
  {
    description: 'Input of createOwner.',
    inputFields: (t) => ({
      name: t.string({ required: true, description: 'Name of the team or person.', validate: nameSchema }),
      contact: t.string({ required: false, description: 'How to reach them.', validate: optionalTextSchema(500) }),
    }),
  },
  {
    description: 'Creates an owner (admin only). Workflows can also create their owner inline.',
    nullable: true,
    authScopes: { admin: true },
    resolve: async (_root, { input }, context) => ({
      owner: await insertOwner(context.db, { name: input.name.trim(), contact: input.contact?.trim() || null }),
    }),
  },
  {
    description: 'Result of createOwner.',
    outputFields: (t) => ({
      owner: t.field({ type: OwnerRef, description: 'The new owner.', resolve: (payload) => payload.owner }),
    }),
  },
);
