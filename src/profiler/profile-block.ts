import type { CsvDialect } from '../csv/dialect.js';
import { parseBlockRows } from '../csv/parse-block.js';
import { DatasetState } from '../engine/profile/dataset-state.js';

/**
 * Profiles one row-aligned block on its own, given the sample's dialect and header: the unit of
 * work of both the CLI's threads and the `profile-block` queue jobs, so one code path is tested.
 * `byteOffset` is the block's offset within the sample (for decode problems).
 */
export function profileBlock(bytes: Uint8Array, dialect: CsvDialect, blockIndex: number, byteOffset = 0): DatasetState {
  const state = DatasetState.create(dialect.header, blockIndex);
  // Rows are profiled as the parser yields them, so they die young instead of a block's worth
  // of them reaching the old generation.
  const parsed = parseBlockRows(bytes, dialect, (row) => state.updateRow(row));
  if (parsed.decodedAs === 'windows-1252') state.markWindows1252(byteOffset + (parsed.invalidUtf8Offset ?? 0));
  for (const error of parsed.errors) {
    state.addParseProblem({ row: error.row + 1, code: error.code, message: error.message });
  }
  return state;
}
