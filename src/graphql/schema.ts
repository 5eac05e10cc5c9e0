import { lexicographicSortSchema, printSchema, type GraphQLSchema } from './graphql-js.js';
import { builder } from './builder.js';
import './scalars/date-time.js';
import './scalars/file.js';
import './scalars/json.js';
import './types/owner.js';
import './types/workflow.js';
import './types/dataset.js';
import './types/sample.js';
import './types/profile.js';
import './types/csv-dialect.js';
import './types/reality-report.js';
import './types/finding.js';
import './types/api-key.js';
import './types/viewer.js';
import './types/query.js';
import './mutations/mutation-type.js';
import './mutations/owner-mutations.js';
import './mutations/workflow-mutations.js';
import './mutations/dataset-mutations.js';
import './mutations/upload-mutations.js';
import './mutations/api-key-mutations.js';
import './mutations/finding-mutations.js';
import './mutations/sample-mutations.js';

let built: GraphQLSchema | undefined;

/** The realitycheck GraphQL schema (built once). */
export function buildSchema(): GraphQLSchema {
  built ??= builder.toSchema({ sortSchema: false });
  return built;
}

/** The schema in SDL, sorted, as committed in `schema.graphql`. */
export function printApiSchema(): string {
  return printSchema(lexicographicSortSchema(buildSchema())) + '\n';
}
