import type { ColumnRole } from '../model/snapshot.js';
import type { Dimension } from './drs-parameters.js';
import type { Freshness } from '../profile/freshness.js';

/** How bad a finding is: `critical` breaks a pipeline or the model's assumptions, `warning` degrades them, `info` is context. */
export type Severity = 'info' | 'warning' | 'critical';

/** One real problem, with the figures that show it. */
export interface Finding {
  /** Stable SCREAMING_SNAKE identifier of the kind of problem (documented in docs/score.md). */
  readonly code: string;
  readonly dimension: Dimension;
  /** Pilot column name (production name for columns only production has); null for file-level findings. */
  readonly column: string | null;
  readonly severity: Severity;
  /** One sentence a person understands. */
  readonly message: string;
  /** The figures behind the message (shares in [0, 1], seconds, counts). */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Stable identity of the problem (code + dimension + column): the same problem on the next report matches. */
  readonly fingerprint: string;
}

/** An absolute failure shown beside the score (never folded into it, so the score stays additive). */
export interface Blocker {
  readonly code: string;
  readonly message: string;
  readonly column?: string;
}

/** Per-dimension figures, each null when the dimension cannot be assessed. */
export type DimensionRecord<T> = { readonly [D in Dimension]: T };

export interface CompletenessEvidence {
  readonly pilot: number;
  readonly production: number;
  /** C_P − C_Q (positive = production has more missing cells). */
  readonly delta: number;
  readonly cohenH: number;
  readonly pilotCounts: Readonly<Record<string, number>>;
  readonly productionCounts: Readonly<Record<string, number>>;
}

export interface FormatEvidence {
  readonly pilotType: string;
  readonly productionType: string;
  readonly pilotDominant: string | null;
  readonly productionDominant: string | null;
  /** Share of each format among present values. */
  readonly pilotFormats: Readonly<Record<string, number>>;
  readonly productionFormats: Readonly<Record<string, number>>;
  readonly tvd: number;
  readonly tvdExpected: number;
  readonly tvdAdjusted: number;
  /** Share of production values in the pilot's dominant format. */
  readonly conformance: number | null;
  readonly pilotFormatHygiene: number;
  readonly productionFormatHygiene: number;
  readonly pilotDateOrder: string | null;
  readonly productionDateOrder: string | null;
}

export interface NumericEvidence {
  readonly n: number;
  readonly m: number;
  readonly psi: number;
  readonly psiAdjusted: number;
  readonly psiExpected: number;
  readonly psiCritical: number;
  readonly bins: number;
  readonly ks: number;
  readonly ksCritical: number;
  readonly ksNoiseFloor: number;
  readonly ksSignificant: boolean;
  readonly wassersteinNormalized: number | null;
  readonly pilotMedian: number;
  readonly productionMedian: number;
  readonly pilotMean: number;
  readonly productionMean: number;
  /** Share of production values outside the pilot's [min, max]. */
  readonly outsideRange: number;
  /** Share outside the pilot's [0.5%, 99.5%] quantiles, and the pilot's own share there. */
  readonly outsideSoftRange: number;
  readonly pilotOutsideSoftRange: number;
}

export interface CategoricalEvidence {
  readonly n: number;
  readonly m: number;
  /** Bins compared (categories whose guaranteed counts are large enough, plus one OTHER bin). */
  readonly bins: number;
  /** Both value summaries are exact counts; otherwise the figures below are the least difference the bounds allow. */
  readonly exact: boolean;
  /** Largest under-count of one value's count, as a share of each sample (0 when exact). */
  readonly sketchError: { readonly pilot: number; readonly production: number };
  readonly jsDistance: number;
  readonly psiEquivalent: number;
  readonly psiAdjusted: number;
  readonly psiCritical: number;
  readonly lInfinity: number;
  readonly chiSquare: number;
  readonly pValue: number;
  readonly cramersV: number;
  /**
   * The category whose share moved most, with its shares' bounds: `pilot` ≤ true share ≤ `pilotMax`
   * (equal when exact), and the same for production.
   */
  readonly largestShift: {
    readonly value: string;
    readonly pilot: number;
    readonly pilotMax: number;
    readonly production: number;
    readonly productionMax: number;
  } | null;
}

export interface IdentifierEvidence {
  /** Share of values that repeat an earlier one, with its upper bound (equal when the distinct counts are exact). */
  readonly pilotDuplicateShare: number;
  readonly pilotDuplicateShareMax: number;
  readonly productionDuplicateShare: number;
  readonly productionDuplicateShareMax: number;
  /** The most production would show with no change: the pilot's share (upper bound) scaled to production's size. */
  readonly expectedDuplicateShare: number;
  /** Three binomial standard deviations of production's share around that expectation. */
  readonly allowance: number;
  /** max(0, production's share (lower bound) − expected − allowance). */
  readonly excess: number;
  readonly exact: boolean;
}

export interface LengthEvidence {
  readonly n: number;
  readonly m: number;
  readonly psi: number;
  readonly psiAdjusted: number;
  readonly psiCritical: number;
  readonly ks: number;
  readonly ksCritical: number;
  readonly pilotMedianLength: number;
  readonly productionMedianLength: number;
  readonly pilotMaxLength: number;
  readonly productionMaxLength: number;
}

export interface NewCategoryEvidence {
  /** Share of production values in categories the pilot never had (lower bound when production's dictionary is approximate). */
  readonly unseenShare: number;
  /** Good–Turing expectation N₁/N of the pilot. */
  readonly expectedShare: number;
  readonly excess: number;
  readonly flagged: boolean;
  /** Share of production values that are another spelling (case, spacing) of a pilot category. */
  readonly respelledShare: number;
  readonly respelledExcess: number;
  readonly respelledFlagged: boolean;
  /** How many distinct production values the pilot never had (the first ten are in `examples`). */
  readonly unseenValues: number;
  readonly examples: ReadonlyArray<{ readonly value: string; readonly count: number }>;
  readonly respelledExamples: ReadonlyArray<{ readonly value: string; readonly pilotValue: string; readonly count: number }>;
}

/** Freshness of one sample, judged against its own as-of time. */
export interface SampleFreshness extends Freshness {
  readonly asOf: string;
}

export interface FreshnessEvidence {
  readonly pilot: SampleFreshness;
  readonly production: SampleFreshness;
  /**
   * How much staler production is, beyond chance: production's recency (to the edge of its newest records:
   * its newest non-future values, leaving out the newest 10 values of the smaller sample so one stray record
   * cannot decide) minus the pilot's, measured conservatively (see docs/score.md); 0 when not staler.
   */
  readonly recencyExcessSeconds: number;
  readonly pilotRecentEdge: string;
  readonly productionRecentEdge: string;
  /** age_p50(Q) − age_p50(P), seconds (positive = production's typical record is older). */
  readonly ageP50DeltaSeconds: number;
  readonly staleShareDelta: number;
  readonly futureShareDelta: number;
  /** Whether this column drives the freshness dimension of the score. */
  readonly scored: boolean;
}

/** The comparison of one pilot column with its production counterpart. */
export interface ColumnComparison {
  /** Pilot name (production name for columns only production has). */
  readonly name: string;
  readonly productionName: string | null;
  /** How the production column was found: same name, the column map, or a case/spacing-insensitive match. */
  readonly matchedBy: 'exact' | 'map' | 'normalized' | null;
  readonly status: 'matched' | 'missing' | 'extra';
  /** 'numeric' | 'categorical' | 'timestamp' | 'text' (identifiers and free text): the distribution test's family. */
  readonly kind: 'numeric' | 'categorical' | 'timestamp' | 'text';
  /** The pilot column's role (METRICS §8), which decides how it is judged, and why it has it. */
  readonly role: ColumnRole;
  readonly roleReason: string;
  readonly importance: number;
  readonly required: boolean;
  readonly completeness: CompletenessEvidence | null;
  readonly format: FormatEvidence | null;
  readonly numeric: NumericEvidence | null;
  readonly categorical: CategoricalEvidence | null;
  readonly newCategories: NewCategoryEvidence | null;
  /** Identifiers: uniqueness. */
  readonly identifier: IdentifierEvidence | null;
  /** Free text: the lengths of its values. */
  readonly lengths: LengthEvidence | null;
  readonly freshness: FreshnessEvidence | null;
  /** s_{d,j} in [0, 1] per dimension; null when not assessed for this column. */
  readonly subScores: DimensionRecord<number | null>;
  /** Points of the 100 this column costs, in total and per dimension (they add up to 100 − score over all columns). */
  readonly pointsLost: number;
  readonly pointsLostByDimension: DimensionRecord<number>;
}

export interface SchemaDiff {
  /** Pilot columns with no production counterpart. */
  readonly missing: readonly string[];
  /** Production columns with no pilot counterpart. */
  readonly extra: readonly string[];
  /** Pilot → production names matched only after ignoring case, spacing and punctuation. */
  readonly renamedCase: ReadonlyArray<{ readonly pilot: string; readonly production: string }>;
  readonly typeChanged: ReadonlyArray<{ readonly column: string; readonly pilot: string; readonly production: string }>;
  readonly formatChanged: ReadonlyArray<{ readonly column: string; readonly pilot: string; readonly production: string }>;
  /** Header names that occur more than once, per side. */
  readonly duplicateHeader: { readonly pilot: readonly string[]; readonly production: readonly string[] };
  /** Column-map entries whose pilot column does not exist. */
  readonly unusedMappings: readonly string[];
}

/** One sample's absolute quality, beside the relative score. */
export interface SampleReadiness {
  readonly rows: number;
  /** Mean column completeness over the pilot's columns (importance-weighted). */
  readonly completeness: number;
  /** Mean format consistency × hygiene (FCH) over the pilot's columns (importance-weighted). */
  readonly formatConsistency: number;
  readonly freshness: SampleFreshness | null;
  /** Share of rows with every cell present. */
  readonly completeRows: number;
}

export interface Readiness {
  readonly pilot: SampleReadiness;
  readonly production: SampleReadiness;
  /** Pilot minus production, in points (positive = the pilot was better). */
  readonly gap: { readonly completeness: number; readonly formatConsistency: number; readonly completeRows: number };
}

export interface Confidence {
  /** 'insufficient' (< 100 rows on a side: no score), 'low' (< 385) or 'normal'. */
  readonly level: 'insufficient' | 'low' | 'normal';
  /** Conservative 95% half-width of the score, in points. */
  readonly halfWidth: number | null;
  readonly pilotRows: number;
  readonly productionRows: number;
}

/** The comparison of a production sample with its pilot: score, breakdown, findings. */
export interface RealityReport {
  /** 0–100, or null when a side has too few rows to score. */
  readonly score: number | null;
  /** S_d × 100 per dimension; null when not assessable. */
  readonly dimensions: DimensionRecord<number | null>;
  /** The dimension weights actually used (renormalised over the assessable dimensions). */
  readonly weights: DimensionRecord<number>;
  readonly columns: readonly ColumnComparison[];
  /** Findings by severity (critical first), then points lost. */
  readonly findings: readonly Finding[];
  readonly blockers: readonly Blocker[];
  readonly confidence: Confidence;
  readonly drsVersion: string;
  readonly readiness: Readiness;
  readonly schema: SchemaDiff;
  /** The ten largest (column, dimension) losses, largest first. */
  readonly topLosses: ReadonlyArray<{ readonly column: string; readonly dimension: Dimension; readonly points: number; readonly reason: string }>;
  readonly asOf: { readonly pilot: string; readonly production: string };
  /** The column whose timestamps drive the freshness dimension, if any. */
  readonly freshnessColumn: string | null;
}
