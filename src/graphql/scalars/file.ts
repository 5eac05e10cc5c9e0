import { GraphQLError } from '../graphql-js.js';
import { builder } from '../builder.js';

/** An uploaded file part of a GraphQL multipart request. */
export const FileScalar = builder.scalarType('File', {
  description:
    'A file sent as a part of a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec). Input only.',
  serialize: () => {
    throw new GraphQLError('File is an input-only scalar');
  },
  parseValue: (value) => {
    if (typeof value === 'object' && value !== null && 'stream' in value && 'size' in value) return value as File;
    throw new GraphQLError('File must be sent as a multipart request part', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
