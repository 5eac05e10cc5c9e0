import type { CsvDialect } from '../csv/dialect.js';
import type { FinalizeOptions } from '../engine/profile/finalize.js';

/**
 * What is decided about a sample beyond its bytes: the `realitycheck profile` flags on the CLI,
 * the dataset contract on the server (see `contractSettings` in the jobs).
 */
export interface ProfileSettings {
  /** Columns to mask in the profile. */
  readonly sensitiveColumns?: readonly string[];
  /** The timestamp column freshness is judged on; otherwise chosen by name. */
  readonly timestampColumn?: string;
}

/**
 * Finalize options of a sample: the file-level facts its reader recorded in the dialect
 * (encoding, byte order mark, the duplicate and empty header names it repaired) and the
 * settings. The only mapping from a dialect to finalize options: the CLI (`profileSource`) and
 * the workers (the merge and report jobs) both finalize through it, so the same file gives the
 * same snapshot, and the same header findings, on either path.
 *
 * @example
 * finalizeDataset(state, finalizeOptions(dialect, { timestampColumn: 'updated_at' }))
 */
export function finalizeOptions(dialect: CsvDialect, settings: ProfileSettings = {}): FinalizeOptions {
  return {
    encoding: dialect.encoding,
    bom: dialect.bom,
    headerIssues: dialect.headerIssues,
    sensitiveColumns: settings.sensitiveColumns,
    timestampColumn: settings.timestampColumn,
  };
}
