import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../support/random.js';
import { splitAndInject } from '../support/split-and-inject.js';

/** A table with one column per defect kind, quoted fields with commas, quotes and line breaks. */
function table(rows = 400): string {
  const random = createRandom(3);
  const lines: string[][] = [['id', 'created_at', 'updated_at', 'category', 'amount', 'note', 'extra']];
  const day = 86_400_000;
  for (let i = 0; i < rows; i++) {
    const created = new Date(Date.UTC(2024, 0, 1) + random.int(300) * day).toISOString().slice(0, 10);
    const updated = new Date(Date.UTC(2024, 0, 1) + random.int(300) * day).toISOString().slice(0, 10);
    lines.push([
      String(i),
      created,
      updated,
      ['Alpha', 'Beta', 'Gamma'][random.int(3)],
      (10 + random.next() * 90).toFixed(2),
      i % 7 === 0 ? `line one\nline "two", ${i}` : `note, ${i}`,
      `x${i % 5}`,
    ]);
  }
  return Papa.unparse(lines, { newline: '\r\n' });
}

function parse(text: string): string[][] {
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

describe('splitAndInject', () => {
  it('splits rows 50/50, keeps the header on both halves and loses or changes nothing', () => {
    const text = table();
    const s = splitAndInject(text, { seed: 1 });
    const all = parse(text);
    const pilot = parse(s.pilotCsv);
    const production = parse(s.productionCsv);
    expect(pilot[0]).toEqual(all[0]);
    expect(production[0]).toEqual(all[0]);
    expect(s.pilotRows).toBe(200);
    expect(s.productionRows).toBe(200);
    const key = (r: string[]) => JSON.stringify(r);
    expect([...pilot.slice(1), ...production.slice(1)].map(key).sort()).toEqual(all.slice(1).map(key).sort());
    expect(s.defects).toEqual([]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const text = table();
    expect(splitAndInject(text, { seed: 5 })).toEqual(splitAndInject(text, { seed: 5 }));
    expect(splitAndInject(text, { seed: 5 }).pilotCsv).not.toBe(splitAndInject(text, { seed: 6 }).pilotCsv);
  });

  it('injects each defect as it reports it, into production only', () => {
    const text = table();
    const clean = splitAndInject(text, { seed: 2 });
    const s = splitAndInject(text, { seed: 2, inject: true });
    expect(s.pilotCsv).toBe(clean.pilotCsv);
    const kinds = Object.fromEntries(s.defects.map((d) => [d.kind, d]));
    expect(Object.keys(kinds).sort()).toEqual(['age-timestamps', 'blank', 'drop-column', 'lowercase', 'new-codes', 'reformat-dates', 'scale']);
    expect(kinds['new-codes'].dimension).toBe('distribution');
    expect(kinds['reformat-dates'].dimension).toBe('format');
    expect(kinds['age-timestamps'].dimension).toBe('freshness');
    expect(kinds.blank.dimension).toBe('completeness');
    expect(kinds.scale.dimension).toBe('distribution');
    expect(kinds.lowercase.dimension).toBe('format');
    expect(kinds['drop-column'].dimension).toBe('schema');

    const before = parse(clean.productionCsv);
    const after = parse(s.productionCsv);
    const head = before[0];
    const headAfter = after[0];
    expect(headAfter).not.toContain(kinds['drop-column'].column);
    expect(headAfter.length).toBe(head.length - 1);
    const col = (h: string[], name: string) => h.indexOf(name);
    let blanks = 0;
    let reformatted = 0;
    for (let r = 1; r < before.length; r++) {
      const b = before[r];
      const a = after[r];
      // Same rows in the same order as the clean split (the seed decides the split, not the defects).
      expect(a.length).toBe(b.length - 1);
      // Scaled ×100.
      const scaled = kinds.scale.column;
      expect(Number(a[col(headAfter, scaled)])).toBeCloseTo(Number(b[col(head, scaled)]) * 100, 6);
      // Lower-cased.
      const lowered = kinds.lowercase.column;
      expect(a[col(headAfter, lowered)]).toBe(b[col(head, lowered)].toLowerCase());
      // 400 days older.
      const aged = kinds['age-timestamps'].column;
      expect(Date.parse(b[col(head, aged)]) - Date.parse(a[col(headAfter, aged)])).toBe(400 * 86_400_000);
      // Some dates rewritten as MM/DD/YYYY, naming the same day.
      const refmt = kinds['reformat-dates'].column;
      const value = a[col(headAfter, refmt)];
      const original = b[col(head, refmt)];
      if (value !== original) {
        reformatted++;
        const [mm, dd, yyyy] = value.split('/');
        expect(`${yyyy}-${mm}-${dd}`).toBe(original);
      }
      if (a[col(headAfter, kinds.blank.column)] === '') blanks++;
    }
    expect(reformatted / 200).toBeGreaterThan(0.3);
    expect(reformatted / 200).toBeLessThan(0.5);
    expect(blanks / 200).toBeGreaterThan(0.2);
    expect(blanks / 200).toBeLessThan(0.4);
  });

  it('injects the role defects: duplicated keys, truncated text and new codes', () => {
    const random = createRandom(9);
    const words = 'the order was late and the customer asked for a refund of the damaged item today'.split(' ');
    const lines: string[][] = [['order_code', 'comment', 'region', 'channel']];
    for (let i = 0; i < 600; i++) {
      const comment = Array.from({ length: 8 + random.int(8) }, () => words[random.int(words.length)]).join(' ');
      lines.push([`ORD-${String(100000 + i)}`, comment, ['North', 'South', 'East', 'West'][random.int(4)], ['Web', 'Store'][random.int(2)]]);
    }
    const text = Papa.unparse(lines, { newline: '\n' });
    const clean = splitAndInject(text, { seed: 3 });
    const s = splitAndInject(text, { seed: 3, inject: true });
    const kinds = Object.fromEntries(s.defects.map((d) => [d.kind, d]));
    expect(kinds['duplicate-keys'].column).toBe('order_code');
    expect(kinds['truncate-text'].column).toBe('comment');
    expect(kinds['new-codes'].column).toBe('region');
    expect(kinds.lowercase.column).toBe('channel');
    const before = parse(clean.productionCsv).slice(1);
    const after = parse(s.productionCsv).slice(1);
    const pilot = parse(s.pilotCsv).slice(1);
    // about a quarter of the keys now repeat another row's key
    const keys = after.map((r) => r[0]);
    const duplicates = keys.length - new Set(keys).size;
    expect(duplicates / keys.length).toBeGreaterThan(0.15);
    expect(duplicates / keys.length).toBeLessThan(0.3);
    // texts cut at a word boundary within 24 characters, and still a prefix of the original
    for (let r = 0; r < after.length; r++) {
      expect(after[r][1].length).toBeLessThanOrEqual(24);
      expect(before[r][1].startsWith(after[r][1])).toBe(true);
      expect(after[r][1]).toBe(after[r][1].trim());
    }
    // about a fifth of the regions are codes the pilot never had
    const pilotRegions = new Set(pilot.map((r) => r[2]));
    const fresh = after.filter((r) => !pilotRegions.has(r[2])).length / after.length;
    expect(fresh).toBeGreaterThan(0.12);
    expect(fresh).toBeLessThan(0.28);
  });

  it('draws a 10/90 split and a 30% sample of the whole file as asked', () => {
    const text = table(1000);
    const tenNinety = splitAndInject(text, { seed: 1, pilotShare: 0.1 });
    expect(tenNinety.pilotRows).toBe(100);
    expect(tenNinety.productionRows).toBe(900);
    const sample = splitAndInject(text, { seed: 1, mode: 'sample', productionShare: 0.3 });
    expect(sample.pilotRows).toBe(1000);
    expect(sample.productionRows).toBe(300);
    const all = new Set(parse(text).slice(1).map((r) => JSON.stringify(r)));
    for (const row of parse(sample.productionCsv).slice(1)) expect(all.has(JSON.stringify(row))).toBe(true);
  });

  it('hits several columns per defect when asked', () => {
    const s = splitAndInject(table(), { seed: 4, inject: true, columnsPerDefect: 2 });
    const dates = s.defects.filter((d) => d.kind === 'reformat-dates' || d.kind === 'age-timestamps');
    expect(new Set(dates.map((d) => d.column))).toEqual(new Set(['created_at', 'updated_at']));
    expect(s.defects.filter((d) => d.kind === 'blank').length).toBe(2);
    // No column is damaged twice, except a lone date column that carries both date defects.
    const others = s.defects.filter((d) => !dates.includes(d)).map((d) => d.column);
    expect(new Set(others).size).toBe(others.length);
    expect(others.some((c) => c === 'created_at' || c === 'updated_at')).toBe(false);
  });
});
