/**
 * Every weight, default and threshold of the data-reality score, in one place. A change here changes
 * what a score means, so it must come with a new {@link DRS_VERSION} (reports compare only within a version).
 */

/** Names the weights and thresholds below; stamped on every report. */
export const DRS_VERSION = 'drs-0.2';

/** The five dimensions of the score. */
export type Dimension = 'completeness' | 'format' | 'freshness' | 'schema' | 'distribution';

export const DIMENSIONS: readonly Dimension[] = ['completeness', 'format', 'freshness', 'schema', 'distribution'];

/** A record of one value per dimension, `value(d)` for each, keyed in the order of {@link DIMENSIONS}. */
export function dimensionRecord<T>(value: (dimension: Dimension) => T): Record<Dimension, T> {
  return Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, value(dimension)])) as Record<Dimension, T>;
}

/** Dimension weights w_d (METRICS §5.2, product choice); renormalised over the assessable dimensions. */
export const DIMENSION_WEIGHTS: Readonly<Record<Dimension, number>> = {
  completeness: 0.25,
  format: 0.2,
  freshness: 0.15,
  schema: 0.15,
  distribution: 0.25,
};

/** Column importance a_j: required columns 3, others 1 unless the caller says otherwise (0 = ignored). */
export const IMPORTANCE_REQUIRED = 3;
export const IMPORTANCE_DEFAULT = 1;

/** Schema fidelity m_j by column state (METRICS §5.2). */
export const SCHEMA_CREDIT = { same: 1, renamed: 0.9, typeOrFormatChanged: 0.5, missing: 0 } as const;

/** Sample sizes (METRICS §5.3): below MIN_ROWS no score; below NORMAL_ROWS a low-confidence score; drift needs MIN_DRIFT_VALUES. */
export const MIN_ROWS = 100;
export const NORMAL_ROWS = 385;
export const MIN_DRIFT_VALUES = 100;

/** A completeness difference must have a χ² p-value below this to be a finding (the PSI band's 0.99 level). */
export const SIGNIFICANCE_P = 0.01;
/**
 * Format-mix, hygiene and spelling-variant differences need p below this: real format defects sit far below
 * it, while a wide table of small unchanged samples (format shares near 90/10 are common) would otherwise show
 * chance findings.
 */
export const FORMAT_SIGNIFICANCE_P = 0.001;

/** Null-rate delta flag: |Δ| ≥ 0.05 and |h| ≥ 0.2 (METRICS §4.2); critical from 0.25. */
export const NULL_DELTA_FLAG = 0.05;
export const NULL_COHEN_H_FLAG = 0.2;
export const NULL_DELTA_CRITICAL = 0.25;

/** Format mix: TVD (after its sampling expectation is removed) ≥ 0.05 flags, ≥ 0.25 is critical. */
export const FORMAT_TVD_FLAG = 0.05;
export const FORMAT_TVD_CRITICAL = 0.25;
/** A dominant-format change is called only when production keeps less than this share in the pilot's format. */
export const FORMAT_CHANGED_CONFORMANCE = 0.5;

/** Hygiene and spelling-variant share increases flag at 5 points, critical at 25. */
export const HYGIENE_DELTA_FLAG = 0.05;
export const HYGIENE_DELTA_CRITICAL = 0.25;

/** Categorical drift: L∞ ≥ 0.10 (beyond the sketches' error); Cramér's V ≥ 0.1 reported as the effect size. */
export const CATEGORICAL_LINF_FLAG = 0.1;
export const CRAMERS_V_FLAG = 0.1;
/** A category gets its own bin only when its pooled share predicts at least this many values in the smaller sample. */
export const MIN_EXPECTED_PER_CATEGORY = 5;

/** New categories: excess over Good–Turing ≥ 1% (and beyond 3σ) warns; ≥ 10% is critical. */
export const NEW_CATEGORY_FLAG = 0.01;
export const NEW_CATEGORY_CRITICAL = 0.1;

/**
 * Identifiers: a production duplicate share this far (2 points) beyond what the pilot's predicts at production's
 * size is a finding, from 10 points critical; the distribution credit falls linearly to 0 at 20 points.
 */
export const DUPLICATE_FLAG = 0.02;
export const DUPLICATE_CRITICAL = 0.1;
export const DUPLICATE_FULL_LOSS = 0.2;
/** Identifier shapes are compared only where the shape summary is exact and covers this share of values on both sides. */
export const SHAPE_COVERAGE = 0.9;

/** Range violations: excess share outside the pilot's [0.5%, 99.5%] quantiles ≥ 2% warns, ≥ 10% is critical. */
export const RANGE_SOFT_LOW = 0.005;
export const RANGE_SOFT_HIGH = 0.995;
export const RANGE_FLAG = 0.02;
export const RANGE_CRITICAL = 0.1;
/** …and the outside count must be this unlikely under no change (exact beta-binomial tail). */
export const RANGE_P_VALUE = 0.001;

/** Normalised Wasserstein flag (Evidently's default). */
export const WASSERSTEIN_FLAG = 0.1;

/** Distribution credit d_j = clamp((PSI_FULL_LOSS − PSI_adj) / (PSI_FULL_LOSS − PSI_NO_LOSS), 0, 1). */
export const PSI_NO_LOSS = 0.1;
export const PSI_FULL_LOSS = 0.25;

/** Stale-share delta flag (METRICS §4.2) and critical level. */
export const STALE_SHARE_FLAG = 0.1;
export const STALE_SHARE_CRITICAL = 0.25;
/** Future-timestamp share excess: noted from 0 (beyond noise), warns from 0.5%, critical from 5%. */
export const FUTURE_SHARE_FLAG = 0.005;
export const FUTURE_SHARE_CRITICAL = 0.05;

/** Ragged rows / parse errors in production beyond the pilot's rate: warn from 1% of rows. */
export const RAGGED_FLAG = 0.01;

/** Required completeness below this is a blocker (METRICS §5.2). */
export const REQUIRED_COMPLETENESS_BLOCKER = 0.5;
