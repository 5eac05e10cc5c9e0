import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';
import { GraphQLError, Lexer, parse, Source, TokenKind, visit, type DocumentNode, type ParseOptions, type ValidationContext } from './graphql-js.js';
import { queryTooComplex } from './errors.js';

/** The query limits, as configured (`GRAPHQL_MAX_*`). */
export interface QueryLimits {
  readonly maxTokens: number;
  readonly maxAliases: number;
  readonly maxFields: number;
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxDirectives: number;
}

/** Largest number of tokens read to count aliases in a query that is already over the token limit. */
const ALIAS_SCAN_TOKEN_FACTOR = 20;

/**
 * Counts the aliases of a query from its tokens alone (for a query too long to parse): outside
 * parentheses (arguments, variable definitions), a name followed by a colon is an alias.
 */
export function countAliasesByTokens(source: string, maxTokens: number): { aliases: number; complete: boolean } {
  const lexer = new Lexer(new Source(source));
  let parens = 0;
  let aliases = 0;
  let previous: TokenKind | undefined;
  try {
    for (let token = lexer.advance(), read = 0; token.kind !== TokenKind.EOF; token = lexer.advance(), read++) {
      if (read >= maxTokens) return { aliases, complete: false };
      if (token.kind === TokenKind.PAREN_L) parens++;
      else if (token.kind === TokenKind.PAREN_R) parens = Math.max(0, parens - 1);
      else if (token.kind === TokenKind.COLON && parens === 0 && previous === TokenKind.NAME) aliases++;
      previous = token.kind;
    }
  } catch {
    // A syntax error further on: the aliases counted so far are what the query has at least.
    return { aliases, complete: false };
  }
  return { aliases, complete: true };
}

/** Aliases and field selections of a parsed document (fragments counted once each, where defined). */
function countSelections(document: DocumentNode): { aliases: number; fields: number } {
  let aliases = 0;
  let fields = 0;
  visit(document, {
    Field(node) {
      fields++;
      if (node.alias) aliases++;
    },
  });
  return { aliases, fields };
}

/**
 * Parses a query under the token, alias and field limits. Each refusal is QUERY_TOO_COMPLEX naming
 * the setting and its value; a query over the token limit because of its aliases is refused for
 * its aliases, which is what its author has to change.
 */
export function parseWithinLimits(source: string | Source, options: ParseOptions | undefined, limits: QueryLimits): DocumentNode {
  const text = typeof source === 'string' ? source : source.body;
  let document: DocumentNode;
  try {
    document = parse(source, { ...options, maxTokens: limits.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError && /more tha[nt] \d+ tokens/.test(error.message)) {
      const { aliases, complete } = countAliasesByTokens(text, limits.maxTokens * ALIAS_SCAN_TOKEN_FACTOR);
      if (aliases > limits.maxAliases) {
        throw queryTooComplex('GRAPHQL_MAX_ALIASES', limits.maxAliases, `has ${complete ? '' : 'at least '}${aliases} aliases`, aliases);
      }
      throw queryTooComplex('GRAPHQL_MAX_TOKENS', limits.maxTokens, `has more than ${limits.maxTokens} tokens`);
    }
    throw error;
  }
  const { aliases, fields } = countSelections(document);
  if (aliases > limits.maxAliases) throw queryTooComplex('GRAPHQL_MAX_ALIASES', limits.maxAliases, `has ${aliases} aliases`, aliases);
  if (fields > limits.maxFields) throw queryTooComplex('GRAPHQL_MAX_FIELDS', limits.maxFields, `selects ${fields} fields`, fields);
  return document;
}

/** The cost graphql-armor computed for each validated document (read by the query-cost rate limit). */
const documentCosts = new WeakMap<DocumentNode, number>();

/** The cost of a validated document as GRAPHQL_MAX_COST counts it (0 when it was not measured). */
export function queryCost(document: DocumentNode): number {
  return documentCosts.get(document) ?? 0;
}

/**
 * The query limits as yoga plugins: tokens, aliases and fields while parsing (above); depth, cost
 * and directives in validation (graphql-armor), reported as QUERY_TOO_COMPLEX errors naming the
 * setting, its value and what the query has. Field suggestions stay off.
 */
export function queryLimitPlugins(limits: QueryLimits): [Plugin, ReturnType<typeof EnvelopArmorPlugin>] {
  const found = (error: GraphQLError) => {
    const match = /found (\d+(?:\.\d+)?)/.exec(error.message);
    return match ? Math.ceil(Number(match[1])) : undefined;
  };
  const report =
    (setting: string, max: number, what: (n: number | undefined) => string) => (context: ValidationContext | null, error: GraphQLError) => {
      const n = found(error);
      context?.reportError(queryTooComplex(setting, max, what(n), n));
    };
  const armor = EnvelopArmorPlugin({
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [report('GRAPHQL_MAX_DEPTH', limits.maxDepth, (n) => `is ${n ?? 'too many'} levels deep`)],
    },
    costLimit: {
      maxCost: limits.maxCost,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [report('GRAPHQL_MAX_COST', limits.maxCost, (n) => `costs ${n ?? 'more'} (fields weighted by depth and by first/last)`)],
      onAccept: [
        (context, { n }) => {
          if (context) documentCosts.set(context.getDocument(), Math.max(n, documentCosts.get(context.getDocument()) ?? 0));
        },
      ],
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [report('GRAPHQL_MAX_DIRECTIVES', limits.maxDirectives, (n) => `has ${n ?? 'too many'} directives`)],
    },
    // Counted while parsing instead (see parseWithinLimits).
    maxAliases: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  const parsing: Plugin = {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parseWithinLimits(source, options, limits));
    },
  };
  return [parsing, armor];
}
