import { GRAPHQL_PATH } from '../graphql/endpoint.js';

/** Raised when the API cannot be reached or answers with an error; the message is for a person. */
export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';
  constructor(
    message: string,
    /** `UNREACHABLE`, `NOT_AN_API`, or the `extensions.code` of the GraphQL error (e.g. `UNAUTHENTICATED`). */
    readonly code: string,
  ) {
    super(message);
  }
}

/** A client of a running realitycheck API, authenticated with one key. */
export interface ApiClient {
  /** Base URL, e.g. `http://localhost:4000`. */
  readonly url: string;
  /** Runs a GraphQL operation; resolves to its data, or fails with the first error. */
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** PUTs bytes to an upload URL (from `createUpload`). */
  upload(uploadUrl: string, bytes: Uint8Array<ArrayBuffer>): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 60_000;

function unreachable(url: string, error: unknown): ApiClientError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new ApiClientError(`no realitycheck API answers at ${url} (${reason})`, 'UNREACHABLE');
}

/**
 * A client of the API at `baseUrl` that sends `key` as its bearer token.
 *
 * @example
 * const api = createApiClient('http://localhost:4000', key);
 * const { viewer } = await api.request<{ viewer: { admin: boolean } }>('{ viewer { admin } }');
 */
export function createApiClient(baseUrl: string, key: string): ApiClient {
  const url = baseUrl.replace(/\/+$/, '');
  const endpoint = `${url}${GRAPHQL_PATH}`;
  return {
    url,
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw unreachable(url, error);
      }
      const text = await response.text();
      let body: { data?: T; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new ApiClientError(`${endpoint} answered HTTP ${response.status} without a GraphQL response: is a realitycheck API there?`, 'NOT_AN_API');
      }
      const error = body.errors?.[0];
      if (error) throw new ApiClientError(error.message ?? 'unknown error', error.extensions?.code ?? 'UNKNOWN');
      if (body.data === undefined) throw new ApiClientError(`${endpoint} answered HTTP ${response.status} without data`, 'NOT_AN_API');
      return body.data;
    },
    async upload(uploadUrl: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
      let response: Response;
      try {
        response = await fetch(uploadUrl, { method: 'PUT', body: new Blob([bytes]), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (error) {
        throw unreachable(new URL(uploadUrl).origin, error);
      }
      if (response.ok) return;
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      throw new ApiClientError(
        `the upload was refused (HTTP ${response.status}): ${body.error?.message ?? 'no reason given'}`,
        body.error?.code ?? `HTTP_${response.status}`,
      );
    },
  };
}
