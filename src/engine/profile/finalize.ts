import { finalizeColumn } from '../column/finalize-column.js';
import type { DatasetState } from './dataset-state.js';
import type { ColumnSnapshot, DatasetSnapshot } from '../model/snapshot.js';

/** File-level facts the state does not carry (they come from the reader's dialect). */
export interface FinalizeOptions {
  readonly encoding?: string;
  readonly bom?: boolean;
  /** Header problems the reader repaired (duplicate and empty names). */
  readonly headerIssues?: { readonly duplicateNames: readonly string[]; readonly emptyNames: number };
  /** Columns the dataset contract marks sensitive. */
  readonly sensitiveColumns?: readonly string[];
  /** The contract's timestamp column for freshness; otherwise chosen by name (METRICS §3). */
  readonly timestampColumn?: string;
}

/** Freshness column preference (METRICS §3): updated/modified > loaded > created > other event columns. */
const FRESHNESS_PREFERENCE = [/updated|modified/i, /loaded/i, /created/i];

/**
 * Finalizes a merged dataset state into the snapshot the report and the comparison read.
 * Deterministic: the same state always gives the same snapshot.
 */
export function finalizeDataset(state: DatasetState, options: FinalizeOptions = {}): DatasetSnapshot {
  const sensitive = new Set(options.sensitiveColumns ?? []);
  const columns = state.columns.map((column, j) =>
    finalizeColumn(column, state.header[j], j, state.rows, { sensitive: sensitive.has(state.header[j]) }),
  );
  const decodedAs = state.windows1252Blocks > 0 ? 'windows-1252' : ((options.encoding ?? 'utf-8') as DatasetSnapshot['decodedAs']);
  const complete = state.rowCompleteness[10];
  return {
    rows: state.rows,
    header: state.header,
    columns,
    raggedRows: { missingFields: state.rowsMissingFields, extraFields: state.rowsExtraFields },
    headerIssues: {
      duplicateNames: [...(options.headerIssues?.duplicateNames ?? [])],
      emptyNames: options.headerIssues?.emptyNames ?? 0,
    },
    encoding: options.encoding ?? 'utf-8',
    decodedAs,
    bom: options.bom ?? false,
    parseErrors: { count: state.parseErrorCount, first: state.parseErrors },
    rowCompleteness: {
      mean: state.rows === 0 ? 0 : state.rowCompletenessSum / state.rows,
      complete: state.rows === 0 ? 0 : complete / state.rows,
      histogram: Array.from(state.rowCompleteness),
    },
    freshnessColumn: chooseFreshnessColumn(columns, options.timestampColumn),
  };
}

function chooseFreshnessColumn(columns: readonly ColumnSnapshot[], declared: string | undefined): string | null {
  if (declared !== undefined) {
    return columns.some((c) => c.name === declared && c.timestamps) ? declared : null;
  }
  const events = columns.filter((c) => c.timestamps?.role === 'event');
  for (const pattern of FRESHNESS_PREFERENCE) {
    const hit = events.find((c) => pattern.test(c.name));
    if (hit) return hit.name;
  }
  return events[0]?.name ?? columns.find((c) => c.timestamps && c.timestamps.role !== 'scheduled')?.name ?? null;
}
