import type { ColumnSnapshot, DatasetSnapshot } from '../model/snapshot.js';
import type { ColumnWork } from './compare-column.js';
import { familyFormatHygiene } from './format-comparison.js';
import type { FreshnessComparison } from './freshness-comparison.js';
import type { Readiness, SampleReadiness } from './reality-report.js';
import { round2 } from './score.js';

function weightedMean(items: ReadonlyArray<{ weight: number; value: number }>): number {
  let w = 0;
  let s = 0;
  for (const it of items) {
    w += it.weight;
    s += it.weight * it.value;
  }
  return w > 0 ? s / w : 1;
}

/**
 * Each sample's absolute quality beside the relative score (METRICS §5.2 readiness view): importance-weighted
 * completeness and format consistency over the pilot's columns (a column production lacks counts as empty),
 * complete rows, freshness status, and the pilot-minus-production gap in points.
 */
export function computeReadiness(work: readonly ColumnWork[], pilot: DatasetSnapshot, production: DatasetSnapshot, freshness: FreshnessComparison | null): Readiness {
  const scoredWork = work.filter((w) => w.importance > 0);
  const presentOn = (s: ColumnSnapshot | null) => s !== null && s.counts.present > 0;
  const pilotReadiness: SampleReadiness = {
    rows: pilot.rows,
    completeness: weightedMean(scoredWork.map((w) => ({ weight: w.importance, value: w.pilot.completeness }))),
    formatConsistency: weightedMean(scoredWork.filter((w) => presentOn(w.pilot)).map((w) => ({ weight: w.importance, value: familyFormatHygiene(w.pilot) }))),
    freshness: freshness?.evidence.pilot ?? null,
    completeRows: pilot.rowCompleteness.complete,
  };
  const productionReadiness: SampleReadiness = {
    rows: production.rows,
    completeness: weightedMean(scoredWork.map((w) => ({ weight: w.importance, value: w.production?.completeness ?? 0 }))),
    formatConsistency: weightedMean(
      scoredWork.filter((w) => presentOn(w.production)).map((w) => ({ weight: w.importance, value: familyFormatHygiene(w.production as ColumnSnapshot) })),
    ),
    freshness: freshness?.evidence.production ?? null,
    completeRows: production.rowCompleteness.complete,
  };
  return {
    pilot: pilotReadiness,
    production: productionReadiness,
    gap: {
      completeness: round2(100 * (pilotReadiness.completeness - productionReadiness.completeness)),
      formatConsistency: round2(100 * (pilotReadiness.formatConsistency - productionReadiness.formatConsistency)),
      completeRows: round2(100 * (pilotReadiness.completeRows - productionReadiness.completeRows)),
    },
  };
}
