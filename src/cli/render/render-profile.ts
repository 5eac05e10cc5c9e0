import type { ProfileJson } from '../../engine/profile/profile-json.js';
import { printable } from './printable.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function duration(seconds: number): string {
  const abs = Math.abs(seconds);
  const text = abs >= 86_400 * 2 ? `${(abs / 86_400).toFixed(0)} d` : abs >= 7_200 ? `${(abs / 3_600).toFixed(0)} h` : `${(abs / 60).toFixed(0)} min`;
  return seconds < 0 ? `-${text}` : text;
}

/** One line of at most `width` characters, its control characters escaped (so widths stay true). */
function short(text: string, width: number): string {
  const flat = printable(text.replace(/[\r\n\t]/g, ' '));
  return flat.length <= width ? flat : flat.slice(0, width - 1) + '…';
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Top values as `value (count)`; approximate counts as `value (low–high)`, and when no value is
 * guaranteed frequent, the most any value can have.
 */
function topValuesText(c: ProfileJson['columns'][number]): string {
  if (c.topValues.length === 0) {
    return c.topValuesError > 0 ? `none frequent (each value ≤ ${count(c.topValuesError)})` : '';
  }
  return c.topValues
    .slice(0, 3)
    .map((t) => `${t.value} (${t.countMax > t.count ? `${count(t.count)}–${count(t.countMax)}` : count(t.count)})`)
    .join(', ');
}

/**
 * The readable report of `realitycheck profile` (no colour codes, so it reads well in logs too;
 * control characters from the file are escaped, see `printable`).
 */
export function renderProfile(p: ProfileJson, source: string): string {
  const out: string[] = [];
  out.push(`${source}: ${p.rows.toLocaleString('en-US')} rows × ${p.columns.length} columns`);
  const notes = [`encoding ${p.decodedAs}${p.bom ? ' (BOM)' : ''}`, `as of ${p.asOf}`];
  if (p.raggedRows.missingFields) notes.push(`${p.raggedRows.missingFields} rows with missing fields`);
  if (p.raggedRows.extraFields) notes.push(`${p.raggedRows.extraFields} rows with extra fields`);
  if (p.parseErrors.count) notes.push(`${p.parseErrors.count} parse problems (first: row ${p.parseErrors.first[0]?.row}, ${p.parseErrors.first[0]?.message})`);
  out.push(notes.join('; '));
  out.push(`row completeness: mean ${pct(p.rowCompleteness.mean)}, complete rows ${pct(p.rowCompleteness.complete)}`);
  out.push('');
  const header = ['column', 'type', 'role', 'complete', 'distinct', 'format', 'consistency', 'top values'];
  const rows = p.columns.map((c) => [
    short(c.name, 28),
    c.type,
    c.role,
    pct(c.completeness),
    c.distinctExact ? count(c.distinct) : `${count(c.distinctBounds.low)}–${count(c.distinctBounds.high)}`,
    short(c.dominantFormat ?? '-', 24),
    pct(c.formatConsistency),
    short(topValuesText(c), 48),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  out.push(line(header));
  out.push(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) out.push(line(r));

  const details: string[] = [];
  for (const c of p.columns) {
    const parts: string[] = [`role ${c.role}: ${c.roleReason}`];
    const missing = c.counts.empty + c.counts.whitespace + c.counts.sentinel + c.counts.missingField;
    if (missing > 0) {
      parts.push(`missing ${missing} (empty ${c.counts.empty}, whitespace ${c.counts.whitespace}, sentinel ${c.counts.sentinel}, missing field ${c.counts.missingField})`);
    }
    const values = c.sentinels.filter((s) => s.judgedAs === 'value');
    if (values.length) parts.push(`tokens read as values: ${values.map((s) => `${s.token} (${s.count})`).join(', ')}`);
    if (c.numeric) {
      const q = c.numeric.quantiles;
      const approx = c.numeric.quantileRankError > 0 ? ` (quantiles within ±${pct(c.numeric.quantileRankError)} of rank)` : '';
      parts.push(`min ${c.numeric.min}, p25 ${q.p25}, median ${q.p50}, p75 ${q.p75}, max ${c.numeric.max}, mean ${c.numeric.mean.toPrecision(6)}, sd ${c.numeric.stddev.toPrecision(4)}${approx}`);
    }
    if (c.formats.length > 1) parts.push(`formats: ${c.formats.slice(0, 4).map((f) => `${f.format} ${f.count}`).join(', ')}`);
    if (c.dateOrder === 'mixed') parts.push('dates mix DD/MM and MM/DD order');
    if (c.hygieneDefectShare > 0) parts.push(`hygiene defects in ${pct(c.hygieneDefectShare)} of values`);
    if (c.variantRate > 0) parts.push(`spelling variants ${pct(c.variantRate)}`);
    if (c.masked) parts.push('values masked (sensitive)');
    if (c.freshness) {
      const f = c.freshness;
      parts.push(`freshness ${f.status}: newest ${f.maxTimestamp} (${duration(f.recencySeconds)} before as-of), median age ${duration(f.ageP50Seconds)}, stale ${pct(f.staleShare)}, future ${pct(f.futureShare)}`);
    }
    if (parts.length) details.push(`${c.name}:\n  ${parts.join('\n  ')}`);
  }
  if (details.length) {
    out.push('');
    out.push(...details);
  }
  return printable(out.join('\n')) + '\n';
}
