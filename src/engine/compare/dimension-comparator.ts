import { maskValue } from '../cell/sensitive.js';
import type { FreshnessSla } from '../profile/freshness.js';
import type { ColumnSnapshot } from '../model/snapshot.js';
import { compareCategorical, type CategoricalComparison } from './categorical-comparison.js';
import type { ColumnPair } from './column-matching.js';
import { compareCompleteness, type CompletenessComparison } from './completeness-comparison.js';
import { type Dimension, SCHEMA_CREDIT } from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { compareFormat, type FormatComparison } from './format-comparison.js';
import { compareFreshness, type FreshnessComparison } from './freshness-comparison.js';
import { compareIdentifier, type IdentifierComparison } from './identifier-comparison.js';
import { compareNumeric, type NumericComparison } from './numeric-comparison.js';
import { numericView } from './numeric-view.js';
import type { ColumnComparison } from './reality-report.js';
import { compareTextLengths, type TextComparison } from './text-comparison.js';

/** What the comparators measured about one column pair: the evidence of its report entry. */
export interface ColumnMeasures {
  completeness: CompletenessComparison | null;
  format: FormatComparison | null;
  numeric: NumericComparison | null;
  categorical: CategoricalComparison | null;
  identifier: IdentifierComparison | null;
  text: TextComparison | null;
  freshness: FreshnessComparison | null;
}

/** What a comparator reads besides the two columns. */
export interface ComparatorContext {
  readonly pair: ColumnPair;
  readonly kind: ColumnComparison['kind'];
  /** The pilot name of the column that drives the freshness dimension, if any. */
  readonly freshnessColumn: string | null;
  readonly pilotAsOf: number;
  readonly productionAsOf: number;
  readonly sla: FreshnessSla;
  /** What the comparators before this one measured (a later dimension may build on an earlier one). */
  readonly measures: Readonly<ColumnMeasures>;
}

/** One dimension's verdict on a column pair. */
export interface DimensionOutcome {
  /** The credit s_{d,j}, or null when the dimension does not apply to the column. */
  readonly credit: number | null;
  /** Half-width of the credit's interval (0 when it has none). */
  readonly halfWidth: number;
  readonly drafts: readonly FindingDraft[];
  /** What was measured, added to the column's measures. */
  readonly measures?: Partial<ColumnMeasures>;
}

/** Compares a pilot column with its production counterpart in one dimension (METRICS §4.2, §5.2). */
export interface DimensionComparator {
  readonly dimension: Dimension;
  compare(pilot: ColumnSnapshot, production: ColumnSnapshot, context: ComparatorContext): DimensionOutcome;
}

const NOT_APPLICABLE: DimensionOutcome = { credit: null, halfWidth: 0, drafts: [] };

const completenessComparator: DimensionComparator = {
  dimension: 'completeness',
  compare(pilot, production, context) {
    const completeness = compareCompleteness(context.pair.pilot, pilot, production);
    return { credit: completeness.credit, halfWidth: completeness.halfWidth, drafts: completeness.findings, measures: { completeness } };
  },
};

/** Each role is judged by what can go wrong with it (METRICS §8): no category mix for identifiers or free text. */
const distributionComparator: DimensionComparator = {
  dimension: 'distribution',
  compare(p, q, context) {
    const column = context.pair.pilot;
    switch (p.role) {
      case 'numeric': {
        const qNumeric = numericView(q);
        const numeric = p.numeric !== null && qNumeric !== null ? compareNumeric(column, p.numeric, qNumeric) : null;
        if (!numeric) return NOT_APPLICABLE;
        return { credit: numeric.credit, halfWidth: numeric.halfWidth, drafts: numeric.findings, measures: { numeric } };
      }
      case 'categorical': {
        const sensitive = p.sensitive ?? q.sensitive;
        const mask = sensitive === null ? undefined : (value: string) => maskValue(value, sensitive === 'contract' ? 'other' : sensitive);
        const nullTokens = new Set([...p.sentinels, ...q.sentinels].filter((t) => t.judgedAs === 'null').map((t) => t.token));
        const categorical = compareCategorical(column, p.topValues, q.topValues, p.topValuesExact, mask, nullTokens);
        return {
          credit: categorical.credit,
          halfWidth: categorical.halfWidth,
          drafts: [...categorical.findings, ...categorical.formatFindings],
          measures: { categorical },
        };
      }
      case 'identifier': {
        const identifier = compareIdentifier(column, p, q);
        return { credit: identifier.credit, halfWidth: 0, drafts: [...identifier.findings, ...identifier.formatFindings], measures: { identifier } };
      }
      case 'free_text': {
        const text = compareTextLengths(column, p.lengths, q.lengths);
        if (!text) return NOT_APPLICABLE;
        return { credit: text.credit, halfWidth: text.halfWidth, drafts: text.findings, measures: { text } };
      }
      case 'temporal':
        return NOT_APPLICABLE;
    }
  },
};

/** The format mix, less what the distribution comparison saw respelled (categories) or reshaped (identifiers). */
const formatComparator: DimensionComparator = {
  dimension: 'format',
  compare(p, q, context) {
    const format = compareFormat(context.pair.pilot, p, q, context.kind === 'numeric' && q.numeric === null);
    if (!format) return { ...NOT_APPLICABLE, measures: { format } };
    const { categorical, identifier } = context.measures;
    const moved = Math.max(format.tvdAdjusted, categorical?.respelledExcess ?? 0, identifier?.shapeMoved ?? 0);
    return {
      credit: (1 - Math.min(1, moved)) * format.hygieneCredit,
      halfWidth: format.halfWidth,
      drafts: [...format.findings, ...format.schemaFindings],
      measures: { format },
    };
  },
};

/** A rename up to case and punctuation, or a changed type or dominant format (read from the format comparison). */
const schemaComparator: DimensionComparator = {
  dimension: 'schema',
  compare(_p, _q, context) {
    const { pair } = context;
    const drafts: FindingDraft[] = [];
    let schemaCredit: number = SCHEMA_CREDIT.same;
    if (pair.matchedBy === 'normalized') {
      schemaCredit = SCHEMA_CREDIT.renamed;
      drafts.push({
        code: 'COLUMN_RENAMED',
        dimension: 'schema',
        severity: 'warning',
        message: `${pair.pilot}: production names this column '${pair.production}' (same name up to case, spaces and punctuation).`,
        evidence: { pilotName: pair.pilot, productionName: pair.production },
      });
    }
    const format = context.measures.format;
    if (format && (format.typeChanged || format.formatChanged)) schemaCredit = Math.min(schemaCredit, SCHEMA_CREDIT.typeOrFormatChanged);
    return { credit: schemaCredit, halfWidth: 0, drafts };
  },
};

/** Timestamps of both sides: findings for every such column, a credit only for the freshness column. */
const freshnessComparator: DimensionComparator = {
  dimension: 'freshness',
  compare(p, q, context) {
    if (p.timestamps === null || q.timestamps === null || p.timestamps.count === 0 || q.timestamps.count === 0) return NOT_APPLICABLE;
    const scored = context.freshnessColumn === context.pair.pilot;
    const freshness = compareFreshness(context.pair.pilot, p.timestamps, q.timestamps, context.pilotAsOf, context.productionAsOf, context.sla, scored);
    return { credit: scored ? freshness.credit : null, halfWidth: scored ? freshness.halfWidth : 0, drafts: freshness.findings, measures: { freshness } };
  },
};

/**
 * The comparators of a matched column pair, in the order they run: each may read what the ones before it
 * measured (format reads the distribution comparison, schema reads format), and their findings keep this order.
 */
export const DIMENSION_COMPARATORS: readonly DimensionComparator[] = [
  completenessComparator,
  distributionComparator,
  formatComparator,
  schemaComparator,
  freshnessComparator,
];
