import { GraphQLError } from '../graphql-js.js';
import { builder } from '../builder.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new GraphQLError(`DateTime must be an RFC 3339 date-time with a time zone, e.g. "2024-05-01T12:00:00Z"; got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime ${JSON.stringify(value)} is not a valid date`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

/** An instant, as an RFC 3339 string with a zone (output always in UTC). */
export const DateTimeScalar = builder.scalarType('DateTime', {
  description: 'An instant as an RFC 3339 string with a time zone, e.g. "2024-05-01T12:00:00.000Z". Output is always UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: parse,
  parseLiteral: (node) => parse('value' in node ? node.value : undefined),
});
