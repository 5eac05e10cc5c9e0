import type { ColumnSnapshot, DatasetSnapshot } from '../model/snapshot.js';
import type { ColumnWork } from './compare-column.js';
import { REQUIRED_COMPLETENESS_BLOCKER } from './drs-parameters.js';
import type { FreshnessComparison } from './freshness-comparison.js';
import { duration, percent } from './message-format.js';
import type { Blocker } from './reality-report.js';

/**
 * Absolute failures of the production sample, shown beside the score and never inside it (METRICS §5.2): no
 * readable rows, a required column missing, required completeness below one half, freshness status ERROR.
 */
export function computeBlockers(work: readonly ColumnWork[], production: DatasetSnapshot, freshness: FreshnessComparison | null, freshnessColumn: string | null): Blocker[] {
  const blockers: Blocker[] = [];
  if (production.rows === 0 || production.header.length === 0) {
    blockers.push({ code: 'PRODUCTION_UNREADABLE', message: 'The production sample has no readable rows.' });
  }
  for (const w of work) {
    if (!w.required) continue;
    if (w.production === null) {
      blockers.push({ code: 'REQUIRED_COLUMN_MISSING', message: `Required column '${w.name}' is missing from production.`, column: w.name });
    }
  }
  // Rows with every required column present can be no more than the least complete required column.
  const required = work.filter((w) => w.required && w.production !== null);
  if (required.length > 0 && production.rows > 0) {
    const worst = required.reduce((a, b) => ((b.production as ColumnSnapshot).completeness < (a.production as ColumnSnapshot).completeness ? b : a));
    const c = (worst.production as ColumnSnapshot).completeness;
    if (c < REQUIRED_COMPLETENESS_BLOCKER) {
      blockers.push({
        code: 'REQUIRED_COMPLETENESS_LOW',
        message: `Fewer than half of production rows have every required column: '${worst.name}' is present in only ${percent(c)} of them.`,
        column: worst.name,
      });
    }
  }
  if (freshness && freshness.evidence.production.status === 'ERROR' && freshnessColumn) {
    blockers.push({
      code: 'PRODUCTION_STALE',
      message: `Production's newest '${freshnessColumn}' is ${duration(freshness.evidence.production.recencySeconds)} old at extraction, past the error threshold.`,
      column: freshnessColumn,
    });
  }
  return blockers;
}
