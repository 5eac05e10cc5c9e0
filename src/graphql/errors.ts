import { GraphQLError } from './graphql-js.js';

/** `extensions.code` of an expected error: what a client can branch on. */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'CONFLICT'
  | 'QUERY_TOO_COMPLEX'
  | 'TOO_MANY_REQUESTS'
  | 'GONE';

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

/**
 * A query over one of the configured limits: QUERY_TOO_COMPLEX (HTTP 400) naming the setting and
 * its value, e.g. `the query has 1000 aliases; the limit is 15 (GRAPHQL_MAX_ALIASES)`.
 */
export function queryTooComplex(setting: string, max: number, what: string, found?: number): GraphQLError {
  return apiError('QUERY_TOO_COMPLEX', `the query ${what}; the limit is ${max} (${setting})`, {
    setting,
    limit: max,
    ...(found === undefined ? {} : { found }),
    http: { status: 400 },
  });
}

/**
 * A refusal by a rate limit: TOO_MANY_REQUESTS, HTTP 429 with `Retry-After` (whole seconds), the
 * message naming the setting and its value.
 */
export function tooManyRequests(message: string, setting: string, perMinute: number, retryAfterSeconds: number): GraphQLError {
  return apiError('TOO_MANY_REQUESTS', `${message} (${setting} = ${perMinute}); retry in ${retryAfterSeconds} s`, {
    setting,
    limit: perMinute,
    retryAfterSeconds,
    http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
  });
}

/** Thrown by `decodeGlobalId` for a string that is not an id; `nameIdArguments` adds the argument path. */
export class InvalidGlobalIdError extends GraphQLError {
  constructor(readonly value: string) {
    super(`"${value.slice(0, 80)}" is not a valid id`, { extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  }
}
