import type { TimestampSnapshot } from '../model/snapshot.js';

/** Freshness SLA in seconds (dbt's warn_after / error_after). */
export interface FreshnessSla {
  readonly warnAfterSeconds: number;
  readonly errorAfterSeconds: number;
}

/** Product defaults (METRICS §3): warn after 7 days, error after 30; stale share SLA = error_after. */
export const DEFAULT_FRESHNESS_SLA: FreshnessSla = Object.freeze({
  warnAfterSeconds: 7 * 86_400,
  errorAfterSeconds: 30 * 86_400,
});

/** Absolute freshness of one timestamp column against an as-of time (METRICS §3). */
export interface Freshness {
  /** ISO 8601 of the newest timestamp. */
  readonly maxTimestamp: string;
  /** as_of − max(t), seconds (negative when the newest value lies in the future). */
  readonly recencySeconds: number;
  /** as_of − Q(0.5) and as_of − Q(0.05), seconds. */
  readonly ageP50Seconds: number;
  readonly ageP95Seconds: number;
  /** Share of values older than as_of − SLA (error_after), ± the sketch's rank error. */
  readonly staleShare: number;
  /** Share of values later than as_of + tolerance (5 min for datetimes, 1 day for dates). */
  readonly futureShare: number;
  /** PASS if recency ≤ warn_after, WARN if ≤ error_after, else ERROR (dbt semantics). */
  readonly status: 'PASS' | 'WARN' | 'ERROR';
}

/**
 * Computes freshness from a timestamp snapshot; ages are derived here, at finalize, so blocks
 * never need to know the as-of time.
 *
 * @example
 * computeFreshness(column.timestamps!, Date.parse('2024-01-01') / 1000, DEFAULT_FRESHNESS_SLA).status
 */
export function computeFreshness(ts: TimestampSnapshot, asOfSeconds: number, sla: FreshnessSla = DEFAULT_FRESHNESS_SLA): Freshness {
  const recency = asOfSeconds - ts.max;
  const [q05, q50] = ts.sketch.quantiles([0.05, 0.5]);
  const tolerance = ts.granularity === 'date' ? 86_400 : 300;
  const staleShare = ts.sketch.cdfStrict(asOfSeconds - sla.errorAfterSeconds);
  const futureShare = 1 - ts.sketch.cdf(asOfSeconds + tolerance);
  const status = recency <= sla.warnAfterSeconds ? 'PASS' : recency <= sla.errorAfterSeconds ? 'WARN' : 'ERROR';
  return {
    maxTimestamp: new Date(ts.max * 1000).toISOString(),
    recencySeconds: recency,
    ageP50Seconds: asOfSeconds - q50,
    ageP95Seconds: asOfSeconds - q05,
    staleShare,
    futureShare,
    status,
  };
}
