/**
 * graphql-js, always as its CommonJS build.
 *
 * graphql 16 ships `index.js` (CommonJS) and `index.mjs` with no `exports` map: Node resolves a bare
 * `graphql` import to `index.js`, as do graphql-yoga and Pothos, while bundler-style resolvers
 * (Vite, hence the test runner) pick `index.mjs`. Two copies break `instanceof GraphQLError` and
 * schema realm checks, so this code names the file explicitly and every resolver loads one copy.
 */
export { getOperationAST, GraphQLError, isObjectType, Kind, Lexer, lexicographicSortSchema, parse, printSchema, Source, TokenKind, visit } from 'graphql/index.js';
export type { DocumentNode, GraphQLSchema, OperationDefinitionNode, ParseOptions, ValidationContext, ValueNode } from 'graphql/index.js';
