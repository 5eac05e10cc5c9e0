import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { GraphQLContext } from './context.js';
import { apiError, badInput } from './errors.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';

/** Type parameters of the schema builder. */
export interface SchemaTypes {
  Context: GraphQLContext;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: File; Output: never };
  };
  AuthScopes: {
    /** A valid, unrevoked API key was presented. */
    authenticated: boolean;
    /** The key has the admin scope. */
    admin: boolean;
    /** The key may read the workflow with this id. */
    readWorkflow: string;
  };
  DefaultFieldNullability: false;
}

/** Largest `ids` list `nodes` accepts. */
export const MAX_NODES_PER_REQUEST = 100;

function failedScopes(failure: AuthFailure): string[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return [failure.scope];
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.flatMap(failedScopes);
    default:
      return [];
  }
}

/**
 * The Pothos schema builder. Each GraphQL type lives in its own file under `types/` or
 * `mutations/` and registers itself here; `schema.ts` imports them all and builds the schema.
 *
 * Plugin order matters: relay first so that scope checks see decoded global ids.
 */
export const builder = new SchemaBuilder<SchemaTypes>({
  plugins: [RelayPlugin, ScopeAuthPlugin, DataloaderPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodeQueryOptions: {
      description: 'Any object by its global id. NOT_FOUND when it does not exist or the API key may not read it.',
      nullable: true,
      authScopes: { authenticated: true },
      args: { id: { description: 'Global id of the object.' } },
    },
    nodesQueryOptions: {
      description: 'Objects by their global ids, in order; each one errors as `node` would.',
      authScopes: { authenticated: true },
      args: { ids: { description: `Global ids of the objects (at most ${MAX_NODES_PER_REQUEST}).` } },
      resolve: (_root, { ids }, _context, _info, resolveNodes) => {
        if (ids.length > MAX_NODES_PER_REQUEST) throw badInput('ids', `at most ${MAX_NODES_PER_REQUEST} ids per request, got ${ids.length}`);
        return resolveNodes(ids);
      },
    },
    nodeTypeOptions: { description: 'An object with a global id, refetchable through `node(id)`.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection stands in the whole list.' },
    idFieldOptions: { description: 'Global id of the object (opaque; use it with `node(id)`).' },
    cursorFieldOptions: { description: 'Opaque position of this edge, for `after` / `before`.' },
    nodeFieldOptions: { description: 'The object at this edge.' },
    edgesFieldOptions: { description: 'The objects of this page, with their cursors.' },
    pageInfoFieldOptions: { description: 'Pagination state of this page.' },
    hasNextPageFieldOptions: { description: 'Whether another page follows (fetch it with `after: endCursor`).' },
    hasPreviousPageFieldOptions: { description: 'Whether a page precedes this one.' },
    startCursorFieldOptions: { description: 'Cursor of the first edge of the page.' },
    endCursorFieldOptions: { description: 'Cursor of the last edge of the page.' },
    firstArgOptions: { description: 'Page size from the start (0–100, default 20).' },
    lastArgOptions: { description: 'Page size from the end (0–100).' },
    afterArgOptions: { description: 'Return edges after this cursor.' },
    beforeArgOptions: { description: 'Return edges before this cursor.' },
    mutationInputArgOptions: { description: 'The input of the mutation.' },
  },
  scopeAuth: {
    authScopes: (context) => ({
      authenticated: context.access.authenticated,
      admin: context.access.admin,
      readWorkflow: (workflowId) => context.access.canRead(workflowId),
    }),
    unauthorizedError: (_parent, context, _info, result) => {
      if (!context.access.authenticated) return context.access.unauthenticatedError();
      const scopes = failedScopes(result.failure);
      if (scopes.includes('admin')) return apiError('FORBIDDEN', 'this field requires an admin API key');
      // An object of a workflow the key cannot read is reported as absent.
      return apiError('NOT_FOUND', 'not found');
    },
  },
  validation: {
    validationError: (failure) => {
      const [issue] = failure.issues;
      const path = issue?.path?.map((segment) => (typeof segment === 'object' ? String(segment.key) : String(segment))) ?? [];
      return badInput(path.length > 0 ? path.join('.') : 'input', issue?.message ?? 'invalid value', {
        issues: failure.issues.map((i) => i.message),
      });
    },
  },
});
