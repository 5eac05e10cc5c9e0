import { PothosValidationError } from '@pothos/core';
import { createGraphQLError, createYoga, maskError, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { findOwnerIdsOfWorkflows } from '../db/owners.js';
import { formatBytes } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { RateLimiter } from '../platform/rate-limit.js';
import { currentRequest, type RequestState } from '../platform/request-state.js';
import type { Access } from './access.js';
import type { ApiServices, GraphQLContext } from './context.js';
import { GRAPHQL_PATH } from './endpoint.js';
import { apiError, tooManyRequests } from './errors.js';
import { getOperationAST, GraphQLError, type DocumentNode } from './graphql-js.js';
import { nameIdArguments } from './id-arguments.js';
import { parseWithinLimits, queryCost, queryLimitPlugins, type QueryLimits } from './query-limits.js';
import { buildSchema } from './schema.js';
import { parseStreamingMultipart } from './streaming-multipart.js';

export { GRAPHQL_PATH } from './endpoint.js';

/** Room for the `operations` and `map` parts and the part headers around the file of a multipart request. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Longest `operations` or `map` field of a multipart request. */
const MULTIPART_MAX_FIELD_BYTES = 64 * 1024;

/** Root fields that start an upload, counted by the upload rate limit. */
const UPLOAD_FIELDS = new Set(['uploadSample', 'createUpload']);

const EXAMPLE_QUERY = `# Paste your API key in the Headers tab: {"Authorization": "Bearer rc_…"}
query Workflows {
  workflows(first: 10) {
    edges {
      node {
        id
        name
        score
        datasets(first: 10) {
          edges { node { id name latestReport { score } } }
        }
      }
    }
  }
}
`;

/** What GraphiQL opens with: its title, the example query, and a header to complete with a key. */
const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'realitycheck GraphiQL',
  defaultQuery: EXAMPLE_QUERY,
  headers: JSON.stringify({ Authorization: 'Bearer ' }),
};

/**
 * Renders GraphiQL from the installed `@graphql-yoga/render-graphiql` package: one page with its
 * scripts, styles, editor workers and fonts inline, so it works on a machine without internet.
 * The package (about 9 MB) is loaded on the first GraphiQL request and the page rendered once:
 * the options never change for one server.
 */
function bundledGraphiQL(): (options: GraphiQLOptions) => Promise<string> {
  let page: Promise<string> | undefined;
  return (options) =>
    (page ??= import('@graphql-yoga/render-graphiql').then(
      ({ renderGraphiQL }) => renderGraphiQL(options),
      (error: unknown) => {
        page = undefined;
        throw error;
      },
    ));
}

function pothosValidationCause(error: unknown): PothosValidationError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof PothosValidationError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** What the HTTP server hands the GraphQL layer for each request. */
export interface ApiServerContext {
  readonly requestState: RequestState;
  /** Who is calling, from the `Authorization` header (authenticated before the body is read). */
  readonly access: Access;
}

/** Records why a request was refused (once) and logs it once, without the query. */
function refuse(state: RequestState, metrics: Metrics | undefined, reason: string, level: 'info' | 'warn', message: string, context: Record<string, unknown>): void {
  if (state.refused) return;
  state.refused = reason;
  metrics?.refusals.inc({ reason });
  state.logger[level](message, context);
}

function unauthenticated(access: Access) {
  const error = access.unauthenticatedError();
  return createGraphQLError(error.message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="realitycheck"' } } },
  });
}

/** Whether a query reads only the public schema (`__schema`, `__type`, `__typename` at its root), as GraphiQL does before a key is pasted. */
function readsSchemaOnly(query: string | undefined, limits: QueryLimits): boolean {
  if (!query) return false;
  let document: DocumentNode;
  try {
    document = parseWithinLimits(query, undefined, limits);
  } catch {
    return false;
  }
  return document.definitions.every((definition) => {
    if (definition.kind === 'FragmentDefinition') return true;
    if (definition.kind !== 'OperationDefinition' || definition.operation !== 'query') return false;
    return definition.selectionSet.selections.every((selection) => selection.kind === 'Field' && selection.name.value.startsWith('__'));
  });
}

/**
 * Requests without an accepted key are answered UNAUTHENTICATED (HTTP 401) before anything else
 * is looked at — before a multipart body is read, before the query is validated — unless they only
 * read the schema. Each refusal is logged once, at INFO (no key) or WARN (a key that is refused),
 * without the query.
 */
function authenticationPlugin(limits: QueryLimits, metrics: Metrics | undefined): Plugin<ApiServerContext, ApiServerContext> {
  return {
    onRequestParse({ request, serverContext, setRequestParser }) {
      if (serverContext.access.authenticated || !isMultipart(request)) return;
      setRequestParser(() => {
        throw refuseAnonymous(serverContext, metrics);
      });
    },
    onParams({ params, context, setResult }) {
      if (context.access.authenticated || readsSchemaOnly(params.query, limits)) return;
      setResult({ errors: [refuseAnonymous(context, metrics)] });
    },
  };
}

/** The UNAUTHENTICATED answer to a request without an accepted key, logged and counted once. */
function refuseAnonymous(context: ApiServerContext, metrics: Metrics | undefined) {
  const { access, requestState } = context;
  const presented = requestState.req.headers.authorization !== undefined;
  refuse(requestState, metrics, 'unauthenticated', presented ? 'warn' : 'info', 'request refused: not authenticated', {
    reason: access.rejection,
  });
  return unauthenticated(access);
}

/**
 * GraphQL multipart requests are read as a stream (see {@link parseStreamingMultipart}): the
 * operation runs while the file arrives and the file's bytes flow into the upload pipeline, which
 * enforces MULTIPART_MAX_BYTES as they pass. A body announced larger than the limit is refused
 * before anything is read.
 */
function isMultipart(request: Request): boolean {
  return request.method === 'POST' && (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

function tooLarge(setting: string, limit: number, message: string) {
  return createGraphQLError(message, { extensions: { code: 'PAYLOAD_TOO_LARGE', setting, limit, http: { status: 413 } } });
}

/**
 * Bounds request bodies. A GraphQL multipart request is read as a stream (see
 * {@link parseStreamingMultipart}): the operation runs while the file arrives and the file's bytes
 * flow into the upload pipeline, which enforces MULTIPART_MAX_BYTES as they pass (chunked bodies
 * included); a body announced larger than that is refused before anything is read. Any other body
 * (JSON) may have GRAPHQL_MAX_BODY_BYTES, announced or counted as it arrives.
 */
function requestBodyPlugin(limits: { multipartMaxBytes: number; maxRequestBytes: number }, metrics: Metrics | undefined): Plugin<ApiServerContext, ApiServerContext> {
  const { multipartMaxBytes, maxRequestBytes } = limits;
  return {
    onRequestParse({ request, serverContext, setRequestParser, requestParser, fetchAPI }) {
      const { requestState } = serverContext;
      const declared = request.headers.get('content-length');
      const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
      if (isMultipart(request)) {
        if (!serverContext.access.authenticated) return;
        if (length !== undefined && length > multipartMaxBytes + MULTIPART_OVERHEAD_BYTES) {
          refuse(requestState, metrics, 'payload_too_large', 'info', 'upload refused: announced body over MULTIPART_MAX_BYTES', {
            bytes: length,
            setting: 'MULTIPART_MAX_BYTES',
          });
          throw tooLarge(
            'MULTIPART_MAX_BYTES',
            multipartMaxBytes,
            `the request body (${formatBytes(length)}) is larger than the ${formatBytes(multipartMaxBytes)} a file may have (MULTIPART_MAX_BYTES); use createUpload and PUT for larger files`,
          );
        }
        setRequestParser(() => parseStreamingMultipart(requestState.req, { maxFileBytes: multipartMaxBytes, maxFieldBytes: MULTIPART_MAX_FIELD_BYTES }));
        return;
      }
      const refusal = () => {
        // Without a key, the answer is UNAUTHENTICATED whatever else is wrong.
        if (!serverContext.access.authenticated) return refuseAnonymous(serverContext, metrics);
        refuse(requestState, metrics, 'payload_too_large', 'info', 'request refused: body over GRAPHQL_MAX_BODY_BYTES', { setting: 'GRAPHQL_MAX_BODY_BYTES' });
        return tooLarge('GRAPHQL_MAX_BODY_BYTES', maxRequestBytes, `the request body is larger than ${formatBytes(maxRequestBytes)} (GRAPHQL_MAX_BODY_BYTES)`);
      };
      if (length !== undefined && length > maxRequestBytes) throw refusal();
      if (!requestParser || !request.body || length !== undefined) return;
      // A body without Content-Length (chunked) is counted as it arrives.
      setRequestParser((req) => {
        let bytes = 0;
        const counted = req.body!.pipeThrough(
          new fetchAPI.TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              bytes += chunk.byteLength;
              if (bytes > maxRequestBytes) controller.error(refusal());
              else controller.enqueue(chunk);
            },
          }),
        );
        return requestParser(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body: counted, duplex: 'half' } as RequestInit));
      });
    },
  };
}

/** Gives every validation error (unknown field, wrong argument…) a code clients can branch on. */
const validationCodePlugin: Plugin = {
  onValidate: () => ({ result, setResult }) => {
    if (result.length === 0) return;
    setResult(
      result.map((error) =>
        error.extensions?.code
          ? error
          : createGraphQLError(error.message, {
              nodes: error.nodes,
              source: error.source,
              positions: error.positions,
              extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
      ),
    );
  },
};

/**
 * Per API key rate limits: the query cost a key spends per minute (checked once the query is
 * validated, so the cost is known) and the uploads it starts per minute (checked before the
 * operation runs, so a refused multipart upload is not read). Refusals are TOO_MANY_REQUESTS,
 * HTTP 429 with `Retry-After`, logged once at WARN.
 */
function rateLimitPlugin(
  options: { uploadsPerMinute: number; queryCostPerMinute: number },
  metrics: Metrics | undefined,
): Plugin<ApiServerContext & GraphQLContext, ApiServerContext> {
  const uploads = new RateLimiter(options.uploadsPerMinute);
  const queryCost = new RateLimiter(options.queryCostPerMinute);
  return {
    onValidate({ context, params }) {
      return ({ result, setResult }) => {
        const keyId = context.access?.key?.id;
        if (result.length > 0 || !keyId || !queryCost.enabled) return;
        const cost = queryCostOf(params.documentAST);
        const decision = queryCost.take(keyId, cost);
        if (decision.allowed) return;
        refuse(context.requestState, metrics, 'rate_limited', 'warn', 'request refused: query cost rate limit', {
          setting: 'RATE_LIMIT_QUERY_COST_PER_MINUTE',
          cost,
          retryAfterSeconds: decision.retryAfterSeconds,
        });
        setResult([
          tooManyRequests(
            `this API key spent its query cost budget for the minute (this query costs ${cost})`,
            'RATE_LIMIT_QUERY_COST_PER_MINUTE',
            options.queryCostPerMinute,
            decision.retryAfterSeconds,
          ),
        ]);
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as ApiServerContext & GraphQLContext;
      const operation = getOperationAST(args.document, args.operationName);
      context.requestState.operation = operation?.name?.value ?? args.operationName ?? undefined;
      const keyId = context.access?.key?.id;
      if (!operation || operation.operation !== 'mutation' || !keyId || !uploads.enabled) return;
      const starts = operation.selectionSet.selections.filter((s) => s.kind === 'Field' && UPLOAD_FIELDS.has(s.name.value)).length;
      if (starts === 0) return;
      const decision = uploads.take(keyId, starts);
      if (decision.allowed) return;
      refuse(context.requestState, metrics, 'rate_limited', 'warn', 'request refused: upload rate limit', {
        setting: 'RATE_LIMIT_UPLOADS_PER_MINUTE',
        retryAfterSeconds: decision.retryAfterSeconds,
      });
      setResultAndStopExecution({
        errors: [
          tooManyRequests(
            `this API key started more uploads than allowed per minute`,
            'RATE_LIMIT_UPLOADS_PER_MINUTE',
            options.uploadsPerMinute,
            decision.retryAfterSeconds,
          ),
        ],
      });
    },
  };
}

function queryCostOf(document: DocumentNode | undefined): number {
  return document ? queryCost(document) : 0;
}

/**
 * Counts and logs (once) requests refused for a query limit, from the errors of the answer: a
 * query refused again is answered from yoga's parse cache without parsing, so the answer is the
 * one place every refusal passes.
 */
function queryLimitLogPlugin(metrics: Metrics | undefined): Plugin<ApiServerContext, ApiServerContext> {
  return {
    onResultProcess({ result, serverContext }) {
      const state = serverContext.requestState;
      if (!state || Array.isArray(result) || !('errors' in result) || !result.errors) return;
      const limited = result.errors.find((error) => error.extensions?.code === 'QUERY_TOO_COMPLEX');
      if (!limited) return;
      refuse(state, metrics, 'too_complex', 'info', 'request refused: query over a limit', {
        setting: limited.extensions.setting,
        limit: limited.extensions.limit,
        found: limited.extensions.found,
      });
    },
  };
}

function maskWithLogging(logger: Logger) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    const validation = pothosValidationCause(error);
    if (validation) {
      const located = error instanceof GraphQLError ? error : undefined;
      return createGraphQLError(validation.message, {
        nodes: located?.nodes,
        path: located?.path,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    const masked = maskError(error, message, isDev);
    if (masked !== error) {
      const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
      (currentRequest()?.logger ?? logger).error('unexpected error in a GraphQL request', {
        path: error instanceof GraphQLError ? error.path?.join('.') : undefined,
        error: original,
      });
    }
    return masked;
  };
}

function requestContext(services: ApiServices, server: ApiServerContext, request: Request): GraphQLContext {
  const { access, requestState } = server;
  let visibleOwners: Promise<ReadonlySet<string> | undefined> | undefined;
  return {
    services,
    db: services.db,
    access,
    requestId: requestState.requestId,
    logger: requestState.logger,
    baseUrl: services.config.publicUrl ?? new URL(request.url).origin,
    visibleOwnerIds: () => {
      visibleOwners ??= (async () => {
        const readable = access.readableWorkflowIds();
        if (readable === undefined) return undefined;
        return new Set(await findOwnerIdsOfWorkflows(services.db, readable));
      })();
      return visibleOwners;
    },
  };
}

/**
 * The GraphQL server: schema, authentication before anything else, query limits, per-key rate
 * limits, streamed multipart uploads, masked and logged unexpected errors, GraphiQL at
 * {@link GRAPHQL_PATH}. CORS is the HTTP server's (see `api-server.ts`), not yoga's.
 */
export function createApiYoga(services: ApiServices, metrics?: Metrics): YogaServerInstance<ApiServerContext, GraphQLContext> {
  const { config, logger } = services;
  const limits: QueryLimits = {
    maxTokens: config.maxQueryTokens,
    maxAliases: config.maxQueryAliases,
    maxFields: config.maxQueryFields,
    maxDepth: config.maxQueryDepth,
    maxCost: config.maxQueryCost,
    maxDirectives: config.maxQueryDirectives,
  };
  return createYoga<ApiServerContext, GraphQLContext>({
    schema: nameIdArguments(buildSchema()),
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    multipart: true,
    // Bodies are bounded by requestBodyPlugin: multipart uploads by MULTIPART_MAX_BYTES as they stream, the rest by GRAPHQL_MAX_BODY_BYTES.
    maxRequestBodySize: false,
    cors: false,
    graphiql: GRAPHIQL_OPTIONS,
    renderGraphiQL: bundledGraphiQL(),
    logging: {
      debug: (...args: unknown[]) => (currentRequest()?.logger ?? logger).debug(args.map(String).join(' ')),
      info: (...args: unknown[]) => (currentRequest()?.logger ?? logger).info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => (currentRequest()?.logger ?? logger).warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => (currentRequest()?.logger ?? logger).error(args.map(String).join(' ')),
    },
    maskedErrors: { maskError: maskWithLogging(logger) },
    plugins: [
      authenticationPlugin(limits, metrics),
      requestBodyPlugin({ multipartMaxBytes: config.multipartMaxBytes, maxRequestBytes: config.maxRequestBytes }, metrics),
      ...queryLimitPlugins(limits),
      queryLimitLogPlugin(metrics),
      validationCodePlugin,
      rateLimitPlugin({ uploadsPerMinute: config.rateLimitUploadsPerMinute, queryCostPerMinute: config.rateLimitQueryCostPerMinute }, metrics),
    ],
    context: ({ request, requestState, access }) => requestContext(services, { requestState, access }, request),
  });
}
