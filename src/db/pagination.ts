import { sql, type SelectQueryBuilder } from 'kysely';

/**
 * A position in a list ordered by (created_at, id), or by (lead, created_at, id) for a list with
 * a leading key. `createdMicros` is the creation time in microseconds since the epoch, as a
 * decimal string: Postgres keeps microseconds, a JS Date only milliseconds, and a cursor that
 * lost precision would skip or repeat rows.
 */
export interface KeysetCursor {
  /** Value of the list's leading key (an integer column), for lists that have one. */
  readonly lead?: number;
  readonly createdMicros: string;
  readonly id: string;
}

/** One page request over a (created_at, id) ordering, as the connection helpers describe it. */
export interface KeysetPage {
  readonly after?: KeysetCursor;
  readonly before?: KeysetCursor;
  /** Rows to fetch (one more than the page size, so the caller can tell whether another page exists). */
  readonly limit: number;
  /** Fetch from the end (for `last`/`before`); the caller reverses the rows. */
  readonly inverted: boolean;
  /** Newest first instead of oldest first. */
  readonly newestFirst?: boolean;
}

/** A row of a paged list: the table's row plus the cursor columns. */
export type Paged<T> = T & { readonly cursor_us: string; readonly cursor_lead?: number };

/**
 * Applies keyset pagination on `<table>.created_at, <table>.id` to a select query and adds the
 * `cursor_us` column that {@link KeysetCursor} is built from. With `lead` (an integer column of
 * the table), the list is ordered by that column first, in the same direction as the rest (so
 * a newest-first list runs from the highest lead down), and each row carries it as `cursor_lead`.
 * A list with a leading key needs cursors that have one, and a list without refuses them.
 */
export function paginate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: string,
  page: KeysetPage,
  options: { readonly lead?: string } = {},
): SelectQueryBuilder<DB, TB, O & { cursor_us: string; cursor_lead?: number }> {
  const createdAt = sql.ref(`${table}.created_at`);
  const id = sql.ref(`${table}.id`);
  const lead = options.lead ? sql.ref(`${table}.${options.lead}`) : undefined;
  const row = lead ? sql`(${lead}, ${createdAt}, ${id})` : sql`(${createdAt}, ${id})`;
  const at = (cursor: KeysetCursor) => {
    if ((cursor.lead === undefined) !== (lead === undefined)) {
      throw new Error(`a cursor ${lead ? 'without' : 'with'} a leading key given to a list ${lead ? 'with' : 'without'} one`);
    }
    const position = sql`timestamptz 'epoch' + ${cursor.createdMicros}::int8 * interval '1 microsecond', ${cursor.id}::uuid`;
    return lead ? sql`(${cursor.lead}::int4, ${position})` : sql`(${position})`;
  };
  // "after" means later in the list's own direction; newest-first lists run backwards in time.
  const later = page.newestFirst ? sql`<` : sql`>`;
  const earlier = page.newestFirst ? sql`>` : sql`<`;
  let q = query.select(sql<string>`(extract(epoch from ${createdAt}) * 1000000)::int8::text`.as('cursor_us')) as SelectQueryBuilder<
    DB,
    TB,
    O & { cursor_us: string; cursor_lead?: number }
  >;
  if (lead) q = q.select(sql<number>`${lead}::int4`.as('cursor_lead')) as typeof q;
  if (page.after) q = q.where(sql<boolean>`${row} ${later} ${at(page.after)}`);
  if (page.before) q = q.where(sql<boolean>`${row} ${earlier} ${at(page.before)}`);
  const ascending = page.newestFirst ? page.inverted : !page.inverted;
  const direction = ascending ? sql`asc` : sql`desc`;
  if (lead) q = q.orderBy(sql`${lead} ${direction}`);
  return q.orderBy(sql`${createdAt} ${direction}`).orderBy(sql`${id} ${direction}`).limit(page.limit);
}
