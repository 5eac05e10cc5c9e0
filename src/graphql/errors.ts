import { GraphQLError } from './graphql-js.js';

/** `extensions.code` of an expected error: what a client can branch on. */
export type ApiErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE' | 'CONFLICT' | 'GONE';

/**
 * An expected error: a GraphQLError with `extensions.code` and a message that names the field,
 * object or limit concerned. These reach the client unmasked.
 *
 * @example
 * throw apiError('CONFLICT', 'a dataset named "invoices" already exists in this workflow', { field: 'name' });
 */
export function apiError(code: ApiErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** The object does not exist, or the caller's key may not read it (the two are not told apart). */
export function notFound(typename: string, id: string): GraphQLError {
  return apiError('NOT_FOUND', `${typename} ${id} was not found`, { typename, id });
}

/** A bad input value; `field` is the argument or input field path, e.g. `input.name`. */
export function badInput(field: string, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return apiError('BAD_USER_INPUT', `${field}: ${message}`, { ...extensions, field });
}
