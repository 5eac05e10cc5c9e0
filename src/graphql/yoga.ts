import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { PothosValidationError } from '@pothos/core';
import { createFetch } from '@whatwg-node/fetch';
import { GraphQLError, type ValidationContext } from './graphql-js.js';
import { createGraphQLError, createYoga, maskError, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { findOwnerIdsOfWorkflows } from '../db/owners.js';
import { formatBytes } from '../runtime/config.js';
import type { Logger } from '../runtime/logger.js';
import type { Access } from './access.js';
import { authenticate } from './authenticate.js';
import type { ApiServices, GraphQLContext } from './context.js';
import { buildSchema } from './schema.js';
import { GRAPHQL_PATH } from './endpoint.js';

export { GRAPHQL_PATH } from './endpoint.js';

/** Room for the `operations` and `map` parts and the part headers around the file of a multipart request. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

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

/**
 * Turns the multipart parser's size failure into a PAYLOAD_TOO_LARGE error that names the limit,
 * and refuses an announced body that is already too large before reading it.
 */
function multipartLimitPlugin(maxBytes: number): Plugin {
  const tooLarge = () =>
    createGraphQLError(
      `the uploaded file is larger than ${formatBytes(maxBytes)} (MULTIPART_MAX_BYTES); use createUpload and PUT for larger files`,
      { extensions: { code: 'PAYLOAD_TOO_LARGE', limit: maxBytes, http: { status: 413 } } },
    );
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser || !(request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) return;
      setRequestParser(async (req) => {
        const length = Number(req.headers.get('content-length') ?? NaN);
        if (Number.isFinite(length) && length > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
        try {
          return await requestParser(req);
        } catch (error) {
          if (error instanceof GraphQLError && error.extensions?.code === 'REQUEST_ENTITY_TOO_LARGE') throw tooLarge();
          throw error;
        }
      });
    },
  };
}

/** Gives every validation error (unknown field, depth or cost limit…) a code clients can branch on. */
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
      logger.error('unexpected error in a GraphQL request', {
        path: error instanceof GraphQLError ? error.path?.join('.') : undefined,
        error: original,
      });
    }
    return masked;
  };
}

function requestContext(services: ApiServices, access: Access, request: Request): GraphQLContext {
  let visibleOwners: Promise<ReadonlySet<string> | undefined> | undefined;
  return {
    services,
    db: services.db,
    access,
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
 * The GraphQL server: schema, per-request authentication, query limits (graphql-armor), multipart
 * uploads with a streaming size limit, masked and logged unexpected errors, GraphiQL at
 * {@link GRAPHQL_PATH}.
 */
export function createApiYoga(services: ApiServices): YogaServerInstance<Record<string, unknown>, GraphQLContext> {
  const { config, logger } = services;
  // Validation-time limits report through the validation result (so they carry a code, like any
  // validation error) instead of throwing; the token limit applies while parsing and throws.
  const asValidationError = (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(
      new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    );
  const reported = { propagateOnRejection: false, onReject: [asValidationError] };
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: config.maxQueryDepth, ignoreIntrospection: true, ...reported },
    maxAliases: { n: config.maxQueryAliases, ...reported },
    costLimit: { maxCost: config.maxQueryCost, ignoreIntrospection: true, ...reported },
    maxDirectives: { n: 50, ...reported },
    maxTokens: { n: config.maxQueryTokens },
    blockFieldSuggestion: { enabled: false },
  });
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema: buildSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    multipart: true,
    fetchAPI: createFetch({
      formDataLimits: { fileSize: config.multipartMaxBytes, files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 12 },
    }),
    graphiql: GRAPHIQL_OPTIONS,
    renderGraphiQL: bundledGraphiQL(),
    logging: {
      debug: (...args: unknown[]) => logger.debug(args.map(String).join(' ')),
      info: (...args: unknown[]) => logger.info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => logger.warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => logger.error(args.map(String).join(' ')),
    },
    maskedErrors: { maskError: maskWithLogging(logger) },
    plugins: [armor, multipartLimitPlugin(config.multipartMaxBytes), validationCodePlugin],
    context: async ({ request }) => {
      const access = await authenticate(services.db, request.headers.get('authorization'), logger);
      return requestContext(services, access, request);
    },
  });
}
