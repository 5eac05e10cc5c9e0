import { findApiKeysByIds, insertApiKey, revokeApiKey } from '../../db/api-keys.js';
import { findWorkflowsByIds } from '../../db/workflows.js';
import { generateApiKeySecret, hashApiKeySecret } from '../../platform/api-key-secret.js';
import { builder } from '../builder.js';
import { ApiKeyRef, WorkflowRef } from '../types/node-refs.js';
import { badInput, notFound } from '../errors.js';
import { encodeGlobalId } from '../global-id.js';
import { nameSchema } from './input-schemas.js';

builder.relayMutationField(
  'createApiKey',
  {
    description: 'Input of createApiKey: an admin key, or a key scoped to workflows (read, or read and write).',
    inputFields: (t) => ({
      name: t.string({ required: true, description: 'What the key is for (e.g. "dashboard", "ERP export job").', validate: nameSchema }),
      admin: t.boolean({ required: false, description: 'Full access (default false).' }),
      read: t.globalIDList({ required: false, for: WorkflowRef, description: 'Workflows the key may read.' }),
      write: t.globalIDList({ required: false, for: WorkflowRef, description: 'Workflows the key may read and write.' }),
    }),
  },
  {
    description: 'Creates an API key (admin only). The secret is in the payload and is never shown again.',
    nullable: true,
    authScopes: { admin: true },
    resolve: async (_root, { input }, context) => {
      const admin = input.admin === true;
      const read = [...new Set((input.read ?? []).map((id) => id.id))];
      const write = [...new Set((input.write ?? []).map((id) => id.id))];
      if (!admin && read.length === 0 && write.length === 0) {
        throw badInput('input.read', 'a key that is not admin needs at least one workflow in read or write');
      }
      const wanted = [...new Set([...read, ...write])];
      const found = new Set((await findWorkflowsByIds(context.db, wanted)).map((w) => w.id));
      const missing = wanted.find((id) => !found.has(id));
      if (missing) throw notFound('Workflow', encodeGlobalId('Workflow', missing));
      const { prefix, secret } = generateApiKeySecret();
      const apiKey = await insertApiKey(context.db, {
        name: input.name.trim(),
        prefix,
        secretHash: hashApiKeySecret(secret),
        scopes: { admin, read: read.filter((id) => !write.includes(id)), write },
      });
      return { apiKey, secret };
    },
  },
  {
    description: 'Result of createApiKey.',
    outputFields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, description: 'The new key.', resolve: (payload) => payload.apiKey }),
      secret: t.string({
        description: 'The secret to send as `Authorization: Bearer <secret>`. Shown only here; store it now.',
        resolve: (payload) => payload.secret,
      }),
    }),
  },
);

builder.relayMutationField(
  'revokeApiKey',
  {
    description: 'Input of revokeApiKey.',
    inputFields: (t) => ({
      id: t.globalID({ required: true, for: ApiKeyRef, description: 'The key to revoke.' }),
    }),
  },
  {
    description: 'Revokes an API key (admin only); requests with it fail with UNAUTHENTICATED from then on. Idempotent.',
    nullable: true,
    authScopes: { admin: true },
    resolve: async (_root, { input }, context) => {
      const [existing] = await findApiKeysByIds(context.db, [input.id.id]);
      if (!existing) throw notFound('ApiKey', encodeGlobalId('ApiKey', input.id.id));
      const apiKey = await revokeApiKey(context.db, existing.id);
      if (!apiKey) throw notFound('ApiKey', encodeGlobalId('ApiKey', input.id.id));
      return { apiKey };
    },
  },
  {
    description: 'Result of revokeApiKey.',
    outputFields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, description: 'The revoked key.', resolve: (payload) => payload.apiKey }),
    }),
  },
);
