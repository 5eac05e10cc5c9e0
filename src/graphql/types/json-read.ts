/** Helpers to read documents written by other components (profiles, reports) without trusting their shape. */

/** The value as a plain object, or an empty one. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A finite number, or a number found under `score`/`value`/`estimate` of an object; else null. */
export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of ['score', 'value', 'estimate', 'share']) {
      const inner = record[key];
      if (typeof inner === 'number' && Number.isFinite(inner)) return inner;
    }
  }
  return null;
}

/** A string, or null. */
export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** An array, or an empty one. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
