import type { GraphQLError } from './graphql-js.js';
import type { IngestError } from '../ingest/ingest-error.js';
import { apiError } from './errors.js';
import { encodeGlobalId } from './global-id.js';

/**
 * The GraphQL form of a failed upload: same code, reason and message as the `PUT` route answers,
 * with the (now FAILED) sample's id. Unexpected failures are rethrown for masking.
 */
export function ingestGraphQLError(error: IngestError, sampleId: string): GraphQLError {
  if (error.code === 'INTERNAL_SERVER_ERROR') throw error;
  const extensions: Record<string, unknown> = {
    reason: error.reason,
    sampleId: encodeGlobalId('Sample', sampleId),
  };
  const existing = error.details.existingSampleId;
  if (typeof existing === 'string') extensions.existingSampleId = encodeGlobalId('Sample', existing);
  if (typeof error.details.limit === 'number') extensions.limit = error.details.limit;
  if (typeof error.details.setting === 'string') extensions.setting = error.details.setting;
  if (error.code === 'PAYLOAD_TOO_LARGE') extensions.http = { status: 413 };
  return apiError(error.code, error.message, extensions);
}
