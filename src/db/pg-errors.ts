/** SQLSTATE of a unique-constraint violation. */
const UNIQUE_VIOLATION = '23505';
/** SQLSTATE of invalid text representation (e.g. a malformed uuid). */
const INVALID_TEXT_REPRESENTATION = '22P02';

function pgError(error: unknown): { code?: string; constraint?: string } | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string; constraint?: string }) : undefined;
}

/** True when `error` is a unique violation, optionally of the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = pgError(error);
  return e?.code === UNIQUE_VIOLATION && (constraint === undefined || e.constraint === constraint);
}

/** True when Postgres rejected a value's text form (e.g. a string that is not a uuid). */
export function isInvalidTextRepresentation(error: unknown): boolean {
  return pgError(error)?.code === INVALID_TEXT_REPRESENTATION;
}

/** True when `value` has the textual form of a uuid, so it can be sent where Postgres expects one. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** SQLSTATEs of a transaction Postgres aborted only because of another one: a deadlock, a serialization failure. */
const TRANSIENT_CONFLICTS = new Set(['40P01', '40001']);

/**
 * True when Postgres aborted the statement's transaction because it deadlocked with, or could not
 * be serialized against, a concurrent one: nothing was written, and running it again is safe.
 */
export function isTransientConflict(error: unknown): boolean {
  const code = pgError(error)?.code;
  return code !== undefined && TRANSIENT_CONFLICTS.has(code);
}

/**
 * Runs `operation` (one atomic unit: a statement or a transaction), again after a short random
 * pause when Postgres aborted it for a deadlock or a serialization failure, up to `attempts` times
 * in all; any other error, or the last attempt's, is thrown.
 *
 * @example
 * await retryTransientConflicts(() => flowProducer.add(flow)); // BullMQ's Postgres backend can deadlock with a worker
 */
export async function retryTransientConflicts<T>(operation: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      // Jittered, so the two sides do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
    }
  }
}
