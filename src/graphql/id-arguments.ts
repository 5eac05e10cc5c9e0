import { PothosValidationError } from '@pothos/core';
import { isObjectType, type GraphQLSchema } from './graphql-js.js';
import { badInput, InvalidGlobalIdError } from './errors.js';
import { decodeGlobalId } from './global-id.js';

/** Paths (`input.workflowId`, `ids[2]`) under which `value` appears in a field's arguments. */
function pathsOf(value: string, args: unknown, prefix: string, out: string[], depth = 0): string[] {
  if (depth > 8 || out.length > 4) return out;
  if (args === value) out.push(prefix);
  else if (Array.isArray(args)) args.forEach((item, index) => pathsOf(value, item, `${prefix}[${index}]`, out, depth + 1));
  else if (typeof args === 'object' && args !== null) {
    for (const [key, item] of Object.entries(args)) pathsOf(value, item, prefix ? `${prefix}.${key}` : key, out, depth + 1);
  }
  return out;
}

function namedIdError(error: unknown, args: Record<string, unknown>): unknown {
  let value: string | undefined;
  let message: string | undefined;
  if (error instanceof InvalidGlobalIdError) {
    value = error.value;
    message = error.message;
  } else if (error instanceof PothosValidationError) {
    const match = /^ID: (.+) is not of type: (.+)$/s.exec(error.message);
    if (match) {
      value = match[1]!;
      let actual = 'another type';
      try {
        actual = `a ${decodeGlobalId(value).typename}`;
      } catch {
        // Not decodable: keep the generic wording.
      }
      message = `"${value.slice(0, 80)}" is the id of ${actual}, not of a ${match[2]!.split(', ').join(' or a ')}`;
    }
  }
  if (value === undefined || message === undefined) return error;
  const [path] = pathsOf(value, args, '', []);
  return badInput(path ?? 'id', message);
}

/**
 * Wraps the resolvers of fields with arguments so that an id argument that is malformed or of the
 * wrong type is reported with the path of the argument (`input.workflowId: "abc" is not a valid
 * id`) rather than as a bare `id`. The ids are decoded by the relay plugin inside the resolver,
 * from the arguments this wrapper still sees raw.
 */
export function nameIdArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve || field.args.length === 0) continue;
      field.resolve = (source, args, context, info) => {
        try {
          const result = resolve(source, args, context, info) as unknown;
          if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(namedIdError(error, args)));
          return result;
        } catch (error) {
          throw namedIdError(error, args);
        }
      };
    }
  }
  return schema;
}
