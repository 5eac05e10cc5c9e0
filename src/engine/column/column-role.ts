import type { ColumnRole } from '../model/snapshot.js';

export const COLUMN_ROLES: readonly ColumnRole[] = ['identifier', 'free_text', 'categorical', 'numeric', 'temporal'];

/** A role and the figures it was decided on, in words. */
export interface RoleDecision {
  readonly role: ColumnRole;
  readonly reason: string;
}

/** What {@link decideRole} reads from a finalized column. */
export interface RoleInput {
  readonly name: string;
  readonly type: string;
  readonly present: number;
  /** Distinct present values (an estimate when `distinctExact` is false). */
  readonly distinct: number;
  readonly distinctExact: boolean;
  /** The column has a numeric summary and its type is a quantity. */
  readonly quantity: boolean;
  /** The column has timestamps. */
  readonly temporal: boolean;
  /** Present values classed as free text (three or more words, or over 64 characters). */
  readonly freeText: number;
  /** Median length of present values, in code points. */
  readonly medianLength: number;
  /** The most frequent shape mask (METRICS §2.2) and how many present values have it, if known. */
  readonly topShape: { readonly mask: string; readonly count: number } | null;
}

/** Fewer present values than this: too few to tell an identifier from a category. */
export const ROLE_MIN_VALUES = 20;
/** Share of distinct values (distinct / present) an identifier needs. */
export const IDENTIFIER_UNIQUENESS = 0.95;
/** Share of values in one shape an identifier written as text needs. */
export const IDENTIFIER_SHAPE_SHARE = 0.8;
/** Free text: at least this share of values are free text, or values this long at the median… */
export const FREE_TEXT_SHARE = 0.5;
export const FREE_TEXT_MEDIAN_LENGTH = 32;
/** …and at least this share of distinct values (repeated phrases are categories). */
export const FREE_TEXT_UNIQUENESS = 0.5;

/** Types whose values are identifiers by their nature when they are near-unique. */
const KEY_TYPES = new Set(['uuid', 'digit_code', 'email', 'phone', 'url']);
/** Names of integer columns that are keys rather than quantities. */
const KEY_NAME = /(^|[^a-z])(id|key|code|no|nr|number|num)$|^id[^a-z]|_id(_|$)/i;

const pct = (share: number): string => `${Math.round(share * 100)}%`;

/**
 * The role of a column, with the reason a person can check.
 *
 * @example
 * decideRole({ name: 'zip', type: 'digit_code', present: 1000, distinct: 1000, distinctExact: true, … });
 * // { role: 'identifier', reason: '100% of 1,000 values distinct (digit_code)' }
 */
export function decideRole(c: RoleInput): RoleDecision {
  const uniqueness = c.present > 0 ? Math.min(1, c.distinct / c.present) : 0;
  const distinctText = `${c.distinctExact ? '' : 'about '}${pct(uniqueness)} of ${c.present.toLocaleString('en-US')} values distinct`;
  if (c.temporal) return { role: 'temporal', reason: `dates and times (${c.type})` };
  if (c.present >= ROLE_MIN_VALUES && uniqueness >= IDENTIFIER_UNIQUENESS) {
    if (c.quantity && c.type === 'integer' && KEY_NAME.test(c.name)) {
      return { role: 'identifier', reason: `${distinctText}, integers named like a key` };
    }
    if (KEY_TYPES.has(c.type)) return { role: 'identifier', reason: `${distinctText} (${c.type})` };
    if (!c.quantity && c.topShape !== null && c.topShape.count >= IDENTIFIER_SHAPE_SHARE * c.present) {
      return { role: 'identifier', reason: `${distinctText}, ${pct(c.topShape.count / c.present)} shaped ${c.topShape.mask}` };
    }
  }
  if (c.quantity) return { role: 'numeric', reason: `numbers (${c.type})` };
  if (c.present >= ROLE_MIN_VALUES && uniqueness >= FREE_TEXT_UNIQUENESS) {
    const freeShare = c.freeText / c.present;
    if (freeShare >= FREE_TEXT_SHARE || c.medianLength >= FREE_TEXT_MEDIAN_LENGTH) {
      return {
        role: 'free_text',
        reason: `${distinctText}, median length ${c.medianLength}, ${pct(freeShare)} of several words`,
      };
    }
  }
  const reason = c.present < ROLE_MIN_VALUES ? `too few values (${c.present}) to tell more` : `${distinctText}`;
  return { role: 'categorical', reason };
}
