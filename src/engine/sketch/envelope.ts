import { SketchFormatError } from './sketch-format-error.js';

export { SketchFormatError } from './sketch-format-error.js';
export type { SketchFormatErrorCode } from './sketch-format-error.js';

/** `hash` of sketches that hash values: xxHash64 with seed 0 over UTF-8 bytes. */
export const SKETCH_HASH_XXH64 = 'xxh64:0';

/** `hash` of sketches that never hash values (KLL over numbers). */
export const SKETCH_HASH_NONE = 'none';

/** Numeric parameters that must be equal for two sketches to merge (e.g. `{ p: 14 }`). */
export type SketchParams = Readonly<Record<string, number>>;

/**
 * The versioned wire format shared by every sketch. It is plain JSON: `JSON.stringify` of the
 * envelope is the stored form, and serialize → deserialize → serialize gives the same text.
 *
 * @example
 * {
 *   "type": "hyperloglog", "version": 1, "params": { "p": 14, "sparseLimit": 1000 },
 *   "hash": "xxh64:0", "n": 3, "payload": { "values": ["a", "b"], "hashed": [] }
 * }
 */
export interface SketchEnvelope<TPayload = unknown> {
  /** Kind of sketch: `hyperloglog`, `kll` or `misra-gries`. */
  readonly type: string;
  /** Format version of this type's payload; readers refuse versions they do not know. */
  readonly version: number;
  readonly params: SketchParams;
  /** Hash function and seed the values went through, or `none`. */
  readonly hash: string;
  /** Number of values the sketch has seen (for Misra-Gries, the sum of their counts). */
  readonly n: number;
  readonly payload: TPayload;
}

/** What a reader accepts. */
export interface EnvelopeExpectation {
  readonly type: string;
  readonly version: number;
  readonly hash: string;
  /** Names of the parameters, all required and numeric. */
  readonly paramNames: readonly string[];
}

/**
 * Builds an envelope. Parameters are copied in the order of `expected.paramNames`, so equal
 * states always print the same JSON.
 */
export function createEnvelope<TPayload>(
  expected: EnvelopeExpectation,
  params: SketchParams,
  n: number,
  payload: TPayload,
): SketchEnvelope<TPayload> {
  const ordered: Record<string, number> = {};
  for (const name of expected.paramNames) ordered[name] = params[name];
  return {
    type: expected.type,
    version: expected.version,
    params: ordered,
    hash: expected.hash,
    n,
    payload,
  };
}

/**
 * Checks that `input` is an envelope of the expected type, version and hash, with exactly the
 * expected numeric parameters and a non-negative integer `n`. The payload is left to the
 * sketch's own reader.
 *
 * @throws SketchFormatError
 */
export function openEnvelope(input: unknown, expected: EnvelopeExpectation): SketchEnvelope {
  if (!isRecord(input)) {
    throw new SketchFormatError('INVALID_ENVELOPE', 'sketch envelope is not an object', {
      expectedType: expected.type,
    });
  }
  const { type, version, params, hash, n } = input;
  if (type !== expected.type) {
    throw new SketchFormatError(
      'TYPE_MISMATCH',
      `expected a ${expected.type} sketch, got ${JSON.stringify(type)}`,
      { expected: expected.type, found: type },
    );
  }
  if (version !== expected.version) {
    throw new SketchFormatError(
      'UNSUPPORTED_VERSION',
      `${expected.type} sketch format version ${JSON.stringify(version)} is not supported (reads ${expected.version})`,
      { type: expected.type, expected: expected.version, found: version },
    );
  }
  if (hash !== expected.hash) {
    throw new SketchFormatError(
      'HASH_MISMATCH',
      `${expected.type} sketch uses hash ${JSON.stringify(hash)}, expected ${expected.hash}`,
      { type: expected.type, expected: expected.hash, found: hash },
    );
  }
  if (!isRecord(params)) {
    throw new SketchFormatError('INVALID_ENVELOPE', `${expected.type} sketch has no params object`, {
      type: expected.type,
    });
  }
  const names = Object.keys(params);
  const missing = expected.paramNames.filter((name) => typeof params[name] !== 'number');
  const extra = names.filter((name) => !expected.paramNames.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new SketchFormatError(
      'INVALID_ENVELOPE',
      `${expected.type} sketch params must be exactly ${expected.paramNames.join(', ')} (numbers)`,
      { type: expected.type, missing, extra },
    );
  }
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new SketchFormatError(
      'INVALID_ENVELOPE',
      `${expected.type} sketch n must be a non-negative integer`,
      { type: expected.type, n },
    );
  }
  if (!('payload' in input)) {
    throw new SketchFormatError('INVALID_ENVELOPE', `${expected.type} sketch has no payload`, {
      type: expected.type,
    });
  }
  return {
    type,
    version,
    params: params as SketchParams,
    hash,
    n,
    payload: input.payload,
  };
}

/**
 * Refuses to combine two sketches whose parameters differ.
 *
 * @throws SketchFormatError with code `PARAMS_MISMATCH`
 */
export function assertSameParams(type: string, mine: SketchParams, theirs: SketchParams): void {
  const names = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
  for (const name of names) {
    if (mine[name] !== theirs[name]) {
      throw new SketchFormatError(
        'PARAMS_MISMATCH',
        `cannot merge ${type} sketches with different ${name} (${mine[name]} vs ${theirs[name]})`,
        { type, param: name, mine: mine[name], theirs: theirs[name] },
      );
    }
  }
}

/**
 * Shorthand for a payload error naming the sketch type.
 */
export function invalidPayload(
  type: string,
  message: string,
  context: Readonly<Record<string, unknown>> = {},
): SketchFormatError {
  return new SketchFormatError('INVALID_PAYLOAD', `${type} sketch payload: ${message}`, {
    type,
    ...context,
  });
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
