import type { Access } from '../access.js';
import { builder } from '../builder.js';
import { ApiKeyRef } from './node-refs.js';

/** The caller. */
export const ViewerRef = builder.objectRef<Access>('Viewer').implement({
  description: 'The API key making the request and what it may do.',
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, description: 'The key itself.', resolve: (access) => access.key!.id }),
    admin: t.boolean({ description: 'Whether the key has the admin scope.', resolve: (access) => access.admin }),
  }),
});
