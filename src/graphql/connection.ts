import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import type { KeysetCursor, KeysetPage } from '../db/pagination.js';
import { badInput } from './errors.js';

/** Largest page a connection serves. */
export const MAX_PAGE_SIZE = 100;
/** Page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;

/** The standard connection arguments. */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A row a connection pages over: its id and the cursor columns `paginate` adds. */
export interface PagedRow {
  readonly id: string;
  readonly cursor_us: string;
  readonly cursor_lead?: number;
}

function encodeCursor(row: PagedRow): string {
  const lead = row.cursor_lead === undefined ? '' : `${row.cursor_lead}:`;
  return Buffer.from(`${lead}${row.cursor_us}:${row.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, arg: 'after' | 'before', leadingKey: boolean): KeysetCursor {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(?:(-?\d{1,5}):)?(-?\d{1,20}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(text);
  if (!match || (match[1] !== undefined) !== leadingKey) {
    throw badInput(arg, 'not a cursor of this connection (use pageInfo.endCursor or an edge cursor)');
  }
  return { lead: match[1] === undefined ? undefined : Number(match[1]), createdMicros: match[2]!, id: match[3]! };
}

function checkSize(value: number | null | undefined, arg: 'first' | 'last'): void {
  if (value == null) return;
  if (value < 0 || value > MAX_PAGE_SIZE) throw badInput(arg, `must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`);
}

/**
 * Resolves a relay connection over a keyset-paged query: checks the page size, decodes the
 * cursors (BAD_USER_INPUT naming `after`/`before` when they are not ours) and lets `fetch` read
 * one page (plus one row, to tell whether there is a next page). `leadingKey` says that the list
 * is ordered by a leading key before (created_at, id) (see `paginate`), so its cursors carry one.
 */
export async function resolvePage<Row extends PagedRow>(
  args: ConnectionArgs,
  fetch: (page: KeysetPage) => Promise<Row[]>,
  options: { readonly leadingKey?: boolean } = {},
) {
  checkSize(args.first, 'first');
  checkSize(args.last, 'last');
  const leadingKey = options.leadingKey ?? false;
  const after = args.after ? decodeCursor(args.after, 'after', leadingKey) : undefined;
  const before = args.before ? decodeCursor(args.before, 'before', leadingKey) : undefined;
  return resolveCursorConnection(
    { args, toCursor: encodeCursor, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
    ({ limit, inverted }: ResolveCursorConnectionArgs) => fetch({ after, before, limit, inverted }),
  );
}
