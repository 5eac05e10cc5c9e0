import { maskValue } from '../cell/sensitive.js';
import type { FreshnessSla } from '../profile/freshness.js';
import type { ColumnSnapshot } from '../model/snapshot.js';
import { compareCategorical, type CategoricalComparison } from './categorical-comparison.js';
import type { ColumnPair } from './column-matching.js';
import { compareCompleteness, type CompletenessComparison } from './completeness-comparison.js';
import { type Dimension, IMPORTANCE_DEFAULT, IMPORTANCE_REQUIRED, SCHEMA_CREDIT } from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { compareFormat, type FormatComparison } from './format-comparison.js';
import { compareFreshness, type FreshnessComparison } from './freshness-comparison.js';
import { compareNumeric, type NumericComparison } from './numeric-comparison.js';
import { numericView } from './numeric-view.js';
import type { ColumnComparison, DimensionRecord } from './reality-report.js';
import { compareIdentifier, type IdentifierComparison } from './identifier-comparison.js';
import { compareTextLengths, type TextComparison } from './text-comparison.js';

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
 * Compares one pilot column with its production counterpart in every dimension: the credits s_{d,j}, their
 * half-widths and the findings (METRICS §4.2, §5.2). A missing column scores 0 in completeness and schema.
 */
export function compareColumn(pair: ColumnPair, context: ColumnContext): ColumnWork {
  const p = context.pilot;
  const q = context.production;
  const required = context.required;
  const importance = Math.max(0, context.importance ?? (required ? IMPORTANCE_REQUIRED : IMPORTANCE_DEFAULT));
  const kind = columnKind(p);
  const drafts: FindingDraft[] = [];
  const credits: Record<Dimension, number | null> = { completeness: null, format: null, freshness: null, schema: null, distribution: null };
  const halfWidths: Record<Dimension, number> = { completeness: 0, format: 0, freshness: 0, schema: 0, distribution: 0 };

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

  const completeness = compareCompleteness(pair.pilot, p, q);
  credits.completeness = completeness.credit;
  halfWidths.completeness = completeness.halfWidth;
  drafts.push(...completeness.findings);

  const format = compareFormat(pair.pilot, p, q, kind === 'numeric' && q.numeric === null);
  let numeric: NumericComparison | null = null;
  let categorical: CategoricalComparison | null = null;
  let identifier: IdentifierComparison | null = null;
  let text: TextComparison | null = null;
  // Each role is judged by what can go wrong with it (METRICS §8): no category mix for identifiers or free text.
  switch (p.role) {
    case 'numeric': {
      const qNumeric = numericView(q);
      if (p.numeric !== null && qNumeric !== null) numeric = compareNumeric(pair.pilot, p.numeric, qNumeric);
      if (numeric) {
        credits.distribution = numeric.credit;
        halfWidths.distribution = numeric.halfWidth;
        drafts.push(...numeric.findings);
      }
      break;
    }
    case 'categorical': {
      const sensitive = p.sensitive ?? q.sensitive;
      const mask = sensitive === null ? undefined : (value: string) => maskValue(value, sensitive === 'contract' ? 'other' : sensitive);
      const nullTokens = new Set([...p.sentinels, ...q.sentinels].filter((t) => t.judgedAs === 'null').map((t) => t.token));
      categorical = compareCategorical(pair.pilot, p.topValues, q.topValues, p.topValuesExact, mask, nullTokens);
      credits.distribution = categorical.credit;
      halfWidths.distribution = categorical.halfWidth;
      drafts.push(...categorical.findings, ...categorical.formatFindings);
      break;
    }
    case 'identifier':
      identifier = compareIdentifier(pair.pilot, p, q);
      credits.distribution = identifier.credit;
      drafts.push(...identifier.findings, ...identifier.formatFindings);
      break;
    case 'free_text':
      text = compareTextLengths(pair.pilot, p.lengths, q.lengths);
      if (text) {
        credits.distribution = text.credit;
        halfWidths.distribution = text.halfWidth;
        drafts.push(...text.findings);
      }
      break;
    case 'temporal':
      break;
  }

  if (format) {
    const moved = Math.max(format.tvdAdjusted, categorical?.respelledExcess ?? 0, identifier?.shapeMoved ?? 0);
    credits.format = (1 - Math.min(1, moved)) * format.hygieneCredit;
    halfWidths.format = format.halfWidth;
    drafts.push(...format.findings, ...format.schemaFindings);
  }

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
  if (format && (format.typeChanged || format.formatChanged)) schemaCredit = Math.min(schemaCredit, SCHEMA_CREDIT.typeOrFormatChanged);
  credits.schema = schemaCredit;

  let freshness: FreshnessComparison | null = null;
  if (p.timestamps !== null && q.timestamps !== null && p.timestamps.count > 0 && q.timestamps.count > 0) {
    const scored = context.freshnessColumn === pair.pilot;
    freshness = compareFreshness(pair.pilot, p.timestamps, q.timestamps, context.pilotAsOf, context.productionAsOf, context.sla, scored);
    if (scored) {
      credits.freshness = freshness.credit;
      halfWidths.freshness = freshness.halfWidth;
    }
    drafts.push(...freshness.findings);
  }

  return { name: pair.pilot, pilot: p, production: q, matchedBy: pair.matchedBy, required, importance, kind, completeness, format, numeric, categorical, identifier, text, freshness, credits, halfWidths, drafts };
}
