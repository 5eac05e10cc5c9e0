import type { CsvDialect } from '../csv/dialect.js';
import type { DatasetContract, SampleRole } from '../db/database.js';
import { DEFAULT_FRESHNESS_SLA, type FreshnessSla } from '../engine/profile/freshness.js';
import { isoDurationSeconds } from '../engine/profile/iso-duration.js';
import type { ProfileSettings } from '../profiler/finalize-options.js';
import { BadInputError } from './bad-input-error.js';

/**
 * The freshness SLA of a workflow from its ISO 8601 settings (months of 30 days, years of 365:
 * see {@link isoDurationSeconds}). The API validates them with the same parser when they are
 * set; a value that still does not parse falls back to the product default rather than blocking
 * every profile of the workflow.
 */
export function freshnessSla(settings: { freshnessWarnAfter: string; freshnessErrorAfter: string }): FreshnessSla {
  const warnAfterSeconds = isoDurationSeconds(settings.freshnessWarnAfter);
  const errorAfterSeconds = isoDurationSeconds(settings.freshnessErrorAfter);
  if (warnAfterSeconds === undefined || errorAfterSeconds === undefined) return DEFAULT_FRESHNESS_SLA;
  return { warnAfterSeconds, errorAfterSeconds };
}

/**
 * Profile settings of a sample from its dataset's contract, for `finalizeOptions` (which adds
 * what the sample's dialect says). The contract names pilot columns; a PRODUCTION sample's
 * columns are found through the contract's column map.
 */
export function contractSettings(role: SampleRole, contract: DatasetContract): ProfileSettings {
  const map = contract.columnMap ?? {};
  const local = (name: string): string => (role === 'PRODUCTION' ? (map[name] ?? name) : name);
  const sensitive = contract.sensitiveColumns ?? [];
  return {
    sensitiveColumns: sensitive.length > 0 ? [...new Set([...sensitive, ...sensitive.map(local)])] : undefined,
    timestampColumn: contract.timestampColumn ? local(contract.timestampColumn) : undefined,
  };
}

/**
 * Reads the dialect recorded when the sample was received.
 *
 * @throws BadInputError (BAD_DIALECT) when it is missing or malformed: the blocks cannot be parsed without it.
 */
export function readDialect(value: unknown, sampleId: string): CsvDialect {
  const d = (typeof value === 'string' ? safeParse(value) : value) as Partial<CsvDialect> | null;
  const ok =
    d !== null &&
    typeof d === 'object' &&
    Array.isArray(d.header) &&
    d.header.every((name) => typeof name === 'string') &&
    typeof d.delimiter === 'string' &&
    d.delimiter.length === 1 &&
    (d.newline === '\n' || d.newline === '\r\n' || d.newline === '\r');
  if (!ok) {
    throw new BadInputError(
      'BAD_DIALECT',
      `sample ${sampleId} has no usable CSV dialect (header, delimiter, newline) recorded, so its blocks cannot be parsed; upload the file again`,
    );
  }
  return d as CsvDialect;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
