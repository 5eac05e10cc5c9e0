/** Path of the GraphQL endpoint (and of GraphiQL in a browser). Kept apart so that clients need not load the server. */
export const GRAPHQL_PATH = '/graphql';
