import { formatLabel, typeLabel } from '../src/engine/compare/format-label.js';
import { duration, fixed, isoDate, number, percent } from '../src/engine/compare/message-format.js';
import type { Finding } from '../src/engine/compare/reality-report.js';

/**
 * Every figure a finding's message quotes must come from its evidence (METRICS §8: messages and evidence
 * agree). Returns the figures of the message that no evidence value renders to; [] when they all agree.
 *
 * The message is read without its leading `column:` and without quoted values (`'1776'` is a value, not a
 * figure). A figure is a number, a percentage (`12%`, `0.19–0.39%`), an ISO date or a duration (`7 days`); each
 * must equal the rendering, by one of the message formatters, of some number or date in the evidence.
 */
export function unsupportedFigures(finding: Finding): string[] {
  let text = finding.message;
  if (finding.column !== null && text.startsWith(`${finding.column}: `)) text = text.slice(finding.column.length + 2);
  text = text.replace(/'[^']*'/g, "''");
  // Names of formats and types are words, even those with digits in them (`ISO 8601`, `1,234.5`).
  for (const value of evidenceValues(finding.evidence)) {
    if (typeof value !== 'string') continue;
    for (const label of [formatLabel(value), typeLabel(value), value]) {
      if (/\d/.test(label) && label.length > 2) text = text.replace(new RegExp(label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), ' ');
    }
  }
  const renderings = new Set<string>();
  for (const value of evidenceValues(finding.evidence)) {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) continue;
      for (const r of [percent(value), number(value), fixed(value, 2), fixed(value, 3), String(value), String(Math.round(value))]) renderings.add(r);
      renderings.add(duration(value));
      if (Math.abs(value) > 1e8 && Math.abs(value) < 1e11) renderings.add(isoDate(value));
    } else if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
      renderings.add(value.slice(0, 10));
    }
  }
  const missing: string[] = [];
  const take = (figure: string) => {
    if (!renderings.has(figure)) missing.push(figure);
  };
  // Durations first (a number followed by a unit), then ranges of percentages, dates, percentages, numbers.
  text = text.replace(/-?\d+(?:\.\d+)? (?:minutes|hours|days|months|years)\b/g, (m) => (take(m), ' '));
  text = text.replace(/(<?-?\d(?:[\d,]*\d)?(?:\.\d+)?)–(\d(?:[\d,]*\d)?(?:\.\d+)?%)/g, (_m, a: string, b: string) => (take(`${a}%`), take(b), ' '));
  text = text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (m) => (take(m), ' '));
  text = text.replace(/[<>]?-?\d(?:[\d,]*\d)?(?:\.\d+)?(?:e[+-]\d+)?%/g, (m) => (take(m), ' '));
  text = text.replace(/(?<![\w.])-?\d(?:[\d,]*\d)?(?:\.\d+)?(?:e[+-]\d+)?(?![\w])/g, (m) => (take(m), ' '));
  return missing;
}

function* evidenceValues(value: unknown): Generator<number | string> {
  if (typeof value === 'number' || typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* evidenceValues(v);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) yield* evidenceValues(v);
}
