import type { IncomingMessage } from 'node:http';
import { Busboy, type BusboyFileStream, type BusboyHeaders } from '@fastify/busboy';
import { createGraphQLError, type GraphQLParams } from 'graphql-yoga';
import { pullChunks } from '../ingest/request-chunks.js';
import { formatBytes } from '../platform/config.js';

/** Limits of {@link parseStreamingMultipart}. */
export interface StreamingMultipartLimits {
  /** Bytes of the file part past which the parser stops passing bytes on (the upload's own limit answers first). */
  readonly maxFileBytes: number;
  /** Longest `operations` or `map` field. */
  readonly maxFieldBytes: number;
}

/**
 * The file part of a GraphQL multipart request while it is still arriving. `stream()` hands out
 * its bytes as the client sends them; nothing of the part is held beyond what is being read.
 * Its size is unknown until it ends (`size` is NaN).
 */
export class StreamedFile {
  readonly size = Number.NaN;
  readonly lastModified = Date.now();
  readonly webkitRelativePath = '';
  private taken = false;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly part: BusboyFileStream,
  ) {}

  /**
   * The bytes of the part, pulled one chunk at a time (a slow consumer holds back the client
   * through TCP flow control). Leaving the loop early discards the rest of the part. Throws when
   * the client goes away before the part ends.
   */
  stream(): AsyncIterable<Uint8Array> {
    if (this.taken) throw new Error('the file part can be read once');
    this.taken = true;
    return readPart(this.part);
  }

  /** Makes the part end with this error (the request failed or the client went away). */
  fail(error: Error): void {
    if (!this.part.readableEnded) this.part.destroy(error);
  }
}

function readPart(part: BusboyFileStream): AsyncIterable<Uint8Array> {
  return pullChunks(part, {
    destroyedMessage: 'the file part ended before its last byte',
    // The consumer stopped early (a limit, a refusal): let the parser skip the rest of the part.
    onAbandon: () => {
      if (part.destroyed) return;
      part.on('error', () => undefined);
      part.resume();
    },
  });
}

function badRequest(message: string, status = 400) {
  return createGraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status } } });
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Puts `value` at a dotted path of `operations` (`variables.file`, `variables.files.0`). */
function setPath(operations: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target: Record<string, unknown> = operations;
  for (const [index, key] of keys.entries()) {
    if (FORBIDDEN_KEYS.has(key)) throw badRequest(`"map" names the path "${path}", which is not allowed`);
    if (index === keys.length - 1) {
      target[key] = value;
      return;
    }
    const next = target[key];
    if (typeof next !== 'object' || next === null) throw badRequest(`"map" names the path "${path}", which is not in "operations"`);
    target = next as Record<string, unknown>;
  }
}

function parseJsonField(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`the multipart field "${name}" is not valid JSON`);
  }
}

/**
 * Reads a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * as a stream: resolves with the operation as soon as the `operations` and `map` fields and the
 * header of the file part have arrived, the file standing in the variables as a
 * {@link StreamedFile} whose bytes are still on their way. The operation runs while the file
 * arrives, so a refusal (key, rate limit, validation) is answered before the file is read, and an
 * accepted file flows into the upload pipeline without being held whole in memory.
 *
 * One file per request; batched operations are not accepted.
 */
export function parseStreamingMultipart(req: IncomingMessage, limits: StreamingMultipartLimits): Promise<GraphQLParams> {
  return new Promise<GraphQLParams>((resolve, reject) => {
    let settled = false;
    let operations: Record<string, unknown> | undefined;
    let map: Record<string, unknown> | undefined;
    let file: StreamedFile | undefined;
    const fail = (error: Error) => {
      if (!settled) {
        settled = true;
        req.unpipe();
        reject(error);
      } else {
        file?.fail(error);
      }
    };
    let parser: ReturnType<typeof Busboy>;
    try {
      parser = Busboy({
        headers: req.headers as BusboyHeaders,
        limits: { fields: 2, fieldSize: limits.maxFieldBytes, files: 1, parts: 3, fileSize: limits.maxFileBytes + 1 },
      });
    } catch (error) {
      reject(badRequest(`the multipart request cannot be read: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (settled) return;
      try {
        if (valueTruncated) throw badRequest(`the multipart field "${name}" is longer than ${formatBytes(limits.maxFieldBytes)}`);
        if (name === 'operations') {
          const parsed = parseJsonField(name, value);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
            throw badRequest('the multipart field "operations" must be one operation object (batches are not accepted)');
          }
          operations = parsed as Record<string, unknown>;
        } else if (name === 'map') {
          const parsed = parseJsonField(name, value);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('the multipart field "map" must be an object');
          map = parsed as Record<string, unknown>;
        } else {
          throw badRequest(`unexpected multipart field "${name}": a GraphQL upload has "operations", "map" and the file`);
        }
      } catch (error) {
        fail(error as Error);
      }
    });
    parser.on('file', (name, part, filename, _encoding, mimeType) => {
      if (settled) {
        part.resume();
        return;
      }
      try {
        if (!operations || !map) throw badRequest('the "operations" and "map" fields must come before the file (GraphQL multipart request spec)');
        const paths = map[name];
        if (!Array.isArray(paths) || paths.length === 0) throw badRequest(`the file part "${name}" is not named in "map"`);
        file = new StreamedFile(filename, mimeType, part);
        for (const path of paths) setPath(operations, String(path), file);
      } catch (error) {
        part.resume();
        fail(error as Error);
        return;
      }
      settled = true;
      resolve(operations as GraphQLParams);
    });
    parser.on('finish', () => {
      if (settled) return;
      if (!operations) return fail(badRequest('the multipart request has no "operations" field'));
      if (map && Object.keys(map).length > 0) return fail(badRequest('the file named in "map" was not sent'));
      settled = true;
      resolve(operations as GraphQLParams);
    });
    const tooManyParts = () => fail(badRequest('the multipart request has more parts than a GraphQL upload (operations, map, one file)'));
    parser.on('partsLimit', tooManyParts);
    parser.on('filesLimit', tooManyParts);
    parser.on('fieldsLimit', tooManyParts);
    parser.on('error', (error: unknown) =>
      fail(settled ? (error as Error) : badRequest(`the multipart body is malformed: ${error instanceof Error ? error.message : String(error)}`)),
    );
    req.once('close', () => {
      if (!req.complete) fail(new Error('the client closed the connection before the body ended'));
    });
    req.pipe(parser);
  });
}
