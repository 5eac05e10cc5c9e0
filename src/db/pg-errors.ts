/** SQLSTATE of a unique-constraint violation. */
const UNIQUE_VIOLATION = '23505';
/** SQLSTATE of a foreign-key violation. */
const FOREIGN_KEY_VIOLATION = '23503';
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

/** True when `error` is a foreign-key violation. */
export function isForeignKeyViolation(error: unknown): boolean {
  return pgError(error)?.code === FOREIGN_KEY_VIOLATION;
}

/** True when Postgres rejected a value's text form (e.g. a string that is not a uuid). */
export function isInvalidTextRepresentation(error: unknown): boolean {
  return pgError(error)?.code === INVALID_TEXT_REPRESENTATION;
}

/** True when `value` has the textual form of a uuid, so it can be sent where Postgres expects one. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
