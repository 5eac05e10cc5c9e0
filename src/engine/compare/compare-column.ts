import type { FreshnessSla } from '../profile/freshness.js';
import type { ColumnSnapshot } from '../model/snapshot.js';
import type { CategoricalComparison } from './categorical-comparison.js';
import type { ColumnPair } from './column-matching.js';
import type { CompletenessComparison } from './completeness-comparison.js';
import type { ColumnMeasures, ComparatorContext, DimensionComparator } from './dimension-comparator.js';
import { type Dimension, dimensionRecord, IMPORTANCE_DEFAULT, IMPORTANCE_REQUIRED, SCHEMA_CREDIT } from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import type { FormatComparison } from './format-comparison.js';
import type { FreshnessComparison } from './freshness-comparison.js';
import type { IdentifierComparison } from './identifier-comparison.js';
import type { NumericComparison } from './numeric-comparison.js';
import type { ColumnComparison, DimensionRecord } from './reality-report.js';
import type { TextComparison } from './text-comparison.js';

/** Everything measured about one column pair before scoring. */
export interface ColumnWork {
  readonly name: string;
  readonly pilot: ColumnSnapshot;
  readonly production: ColumnSnapshot | null;
  readonly matchedBy: 'exact' | 'map' | 'normalized' | null;
  readonly required: boolean;
  readonly importance: number;
  readonly kind: ColumnComparison['kind'];
  readonly completeness: CompletenessComparison | null;
  readonly format: FormatComparison | null;
  readonly numeric: NumericComparison | null;
  readonly categorical: CategoricalComparison | null;
  readonly identifier: IdentifierComparison | null;
  readonly text: TextComparison | null;
  readonly freshness: FreshnessComparison | null;
  readonly credits: DimensionRecord<number | null>;
  readonly halfWidths: DimensionRecord<number>;
  readonly drafts: FindingDraft[];
}

/** What {@link compareColumn} needs besides the pair. */
export interface ColumnContext {
  readonly pilot: ColumnSnapshot;
  /** Null when production has no counterpart. */
  readonly production: ColumnSnapshot | null;
  readonly required: boolean;
  /** Explicit importance a_j, overriding the required/default one. */
  readonly importance: number | undefined;
  /** The production name the column map gave this column, if any. */
  readonly mappedTo: string | undefined;
  readonly freshnessColumn: string | null;
  readonly pilotAsOf: number;
  readonly productionAsOf: number;
  readonly sla: FreshnessSla;
  /** The comparators of a matched pair, run in order (the report uses `DIMENSION_COMPARATORS`). */
  readonly comparators: readonly DimensionComparator[];
}

/** The family of a column's distribution test, from its role. */
export function columnKind(column: ColumnSnapshot): ColumnComparison['kind'] {
  switch (column.role) {
    case 'temporal':
      return 'timestamp';
    case 'numeric':
      return 'numeric';
    case 'categorical':
      return 'categorical';
    default:
      return 'text';
  }
}

/**
 * Compares one pilot column with its production counterpart in every dimension, running the
 * context's comparators in order: the credits s_{d,j}, their half-widths and the findings
 * (METRICS §4.2, §5.2). A missing column scores 0 in completeness and schema.
 */
export function compareColumn(pair: ColumnPair, context: ColumnContext): ColumnWork {
  const p = context.pilot;
  const q = context.production;
  const required = context.required;
  const importance = Math.max(0, context.importance ?? (required ? IMPORTANCE_REQUIRED : IMPORTANCE_DEFAULT));
  const kind = columnKind(p);
  const drafts: FindingDraft[] = [];
  const credits: Record<Dimension, number | null> = dimensionRecord(() => null);
  const halfWidths: Record<Dimension, number> = dimensionRecord(() => 0);

  if (q === null) {
    credits.completeness = 0;
    credits.schema = SCHEMA_CREDIT.missing;
    drafts.push({
      code: 'COLUMN_MISSING',
      dimension: 'schema',
      severity: importance === 0 ? 'info' : required ? 'critical' : 'warning',
      message: `${pair.pilot}: the pilot's column is missing from production${context.mappedTo ? ` (mapped to '${context.mappedTo}', which production does not have)` : ''}.`,
      evidence: { required, mappedTo: context.mappedTo ?? null },
    });
    return { name: pair.pilot, pilot: p, production: null, matchedBy: null, required, importance, kind, completeness: null, format: null, numeric: null, categorical: null, identifier: null, text: null, freshness: null, credits, halfWidths, drafts };
  }

  const measures: ColumnMeasures = { completeness: null, format: null, numeric: null, categorical: null, identifier: null, text: null, freshness: null };
  const comparatorContext: ComparatorContext = {
    pair,
    kind,
    freshnessColumn: context.freshnessColumn,
    pilotAsOf: context.pilotAsOf,
    productionAsOf: context.productionAsOf,
    sla: context.sla,
    measures,
  };
  for (const comparator of context.comparators) {
    const outcome = comparator.compare(p, q, comparatorContext);
    credits[comparator.dimension] = outcome.credit;
    halfWidths[comparator.dimension] = outcome.halfWidth;
    drafts.push(...outcome.drafts);
    Object.assign(measures, outcome.measures);
  }
  const { completeness, format, numeric, categorical, identifier, text, freshness } = measures;

  return { name: pair.pilot, pilot: p, production: q, matchedBy: pair.matchedBy, required, importance, kind, completeness, format, numeric, categorical, identifier, text, freshness, credits, halfWidths, drafts };
}
