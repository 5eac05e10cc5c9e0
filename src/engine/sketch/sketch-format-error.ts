/** Why a serialized sketch was refused. */
export type SketchFormatErrorCode =
  /** Not an object of the envelope shape, or a field of the wrong type. */
  | 'INVALID_ENVELOPE'
  /** The envelope holds another kind of sketch. */
  | 'TYPE_MISMATCH'
  /** The envelope's format version is not one this code reads. */
  | 'UNSUPPORTED_VERSION'
  /** Parameters differ (e.g. HyperLogLog p=12 vs p=14), so the states are not comparable. */
  | 'PARAMS_MISMATCH'
  /** Values were hashed with another function or seed. */
  | 'HASH_MISMATCH'
  /** The payload is malformed or inconsistent with the parameters. */
  | 'INVALID_PAYLOAD';

/**
 * A sketch could not be deserialized or merged: the data is malformed or the two sides are not
 * the same kind of sketch with the same parameters. Merging such states would silently give a
 * wrong answer, so it is refused.
 *
 * @example
 * try {
 *   new HyperLogLog(12).merge(new HyperLogLog(14));
 * } catch (error) {
 *   if (error instanceof SketchFormatError && error.code === 'PARAMS_MISMATCH') { ... }
 * }
 */
export class SketchFormatError extends Error {
  override readonly name = 'SketchFormatError';

  constructor(
    readonly code: SketchFormatErrorCode,
    message: string,
    /** What was expected and what was found, for logs. */
    readonly context: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
