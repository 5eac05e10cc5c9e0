import { isUuid } from '../db/pg-errors.js';
import { notFound } from './errors.js';
import { encodeGlobalId } from './global-id.js';

/**
 * Batch-loads rows by id for a loadable node and hides what the caller may not see: the result
 * has one entry per requested id, in order, either the row or a NOT_FOUND error (for rows that do
 * not exist and rows the caller's key may not read alike).
 */
export async function loadVisible<Row extends { id: string }>(
  typename: string,
  ids: readonly string[],
  fetch: (ids: string[]) => Promise<Row[]>,
  visible: (row: Row) => boolean | Promise<boolean>,
): Promise<(Row | Error)[]> {
  const wellFormed = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  const rows = await fetch(wellFormed);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return Promise.all(
    ids.map(async (id) => {
      const row = byId.get(id.toLowerCase());
      return row && (await visible(row)) ? row : notFound(typename, isUuid(id) ? encodeGlobalId(typename, id) : id);
    }),
  );
}
