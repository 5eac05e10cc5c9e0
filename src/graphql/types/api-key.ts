import type { ApiKeyScopes } from '../../db/database.js';
import { builder } from '../builder.js';
import { ApiKeyRef } from './node-refs.js';
import { encodeGlobalId } from '../global-id.js';

/** What a key may do. */
export const ApiKeyScopesRef = builder.objectRef<ApiKeyScopes>('ApiKeyScopes').implement({
  description: 'What an API key may do: everything (admin), or read / write on listed workflows.',
  fields: (t) => ({
    admin: t.boolean({ description: 'Full access, including keys and new workflows.', resolve: (s) => s.admin === true }),
    read: t.idList({
      description: 'Workflows (global ids) the key may read.',
      resolve: (s) => (s.read ?? []).map((id) => encodeGlobalId('Workflow', id)),
    }),
    write: t.idList({
      description: 'Workflows (global ids) the key may read and write (datasets, uploads, findings, settings).',
      resolve: (s) => (s.write ?? []).map((id) => encodeGlobalId('Workflow', id)),
    }),
  }),
});

/** An API key (never its secret). */
ApiKeyRef.implement({
  description: 'An API key. Its secret is shown once, by createApiKey; only a hash is stored.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What the key is for.' }),
    prefix: t.exposeString('prefix', { description: 'Public part of the secret (`rc_<prefix>_…`), to recognize it.' }),
    scopes: t.field({ type: ApiKeyScopesRef, description: 'What the key may do.', resolve: (k) => k.scopes }),
    revoked: t.boolean({ description: 'Whether the key was revoked.', resolve: (k) => k.revoked_at !== null }),
    createdAt: t.field({ type: 'DateTime', description: 'When the key was created.', resolve: (k) => k.created_at }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was revoked.', resolve: (k) => k.revoked_at }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was last used (to the minute).',
      resolve: (k) => k.last_used_at,
    }),
  }),
});
