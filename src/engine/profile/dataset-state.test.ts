import { describe, expect, it } from 'vitest';
import { DatasetState } from './dataset-state.js';
import { finalizeDataset } from './finalize.js';
import { HyperLogLog } from '../sketch/hyperloglog.js';
import { MisraGries } from '../sketch/misra-gries.js';
import { createUniform as rng } from '../../../test/support/random.js';

const HEADER = ['id', 'amount', 'created_at', 'country', 'note', 'flag'];

function makeRows(n: number, seed: number): string[][] {
  const r = rng(seed);
  const countries = ['DE', 'FR', 'US', 'NA', 'GB', 'IT'];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const day = 1 + Math.floor(r() * 28);
    const row = [
      String(100000 + i),
      r() < 0.1 ? '' : (r() * 1000 - 200).toFixed(2),
      r() < 0.5 ? `2024-03-${String(day).padStart(2, '0')}` : `${day}/03/2024`,
      countries[Math.floor(r() * countries.length)],
      r() < 0.05 ? ' ' : r() < 0.05 ? 'N/A' : `note ${Math.floor(r() * 50)}`,
      r() < 0.5 ? 'true' : 'false',
    ];
    if (r() < 0.02) row.pop();
    rows.push(row);
  }
  return rows;
}

function stateOf(rows: string[][], seed: number): DatasetState {
  const state = DatasetState.create(HEADER, seed);
  for (const row of rows) state.updateRow(row);
  return state.flush();
}

describe('DatasetState', () => {
  const rows = makeRows(5000, 7);
  const whole = stateOf(rows, 0);

  it('merges random splits to the exact counters, HLL registers and moments of the whole', () => {
    const r = rng(99);
    for (let trial = 0; trial < 10; trial++) {
      const cuts = [0, ...Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * rows.length)), rows.length].sort((a, b) => a - b);
      const parts = cuts.slice(1).map((end, i) => stateOf(rows.slice(cuts[i], end), i));
      const merged = parts.reduce((a, b) => a.merge(b)).flush();
      expect(merged.rows).toBe(whole.rows);
      expect(merged.rowsMissingFields).toBe(whole.rowsMissingFields);
      expect(Array.from(merged.rowCompleteness)).toEqual(Array.from(whole.rowCompleteness));
      for (let j = 0; j < HEADER.length; j++) {
        const a = whole.columns[j];
        const b = merged.columns[j];
        expect([b.present, b.empty, b.whitespace, b.missingField]).toEqual([a.present, a.empty, a.whitespace, a.missingField]);
        expect([...b.sentinels].sort()).toEqual([...a.sentinels].sort());
        expect(Array.from(b.classCounts)).toEqual(Array.from(a.classCounts));
        expect([...b.formats].sort()).toEqual([...a.formats].sort());
        expect(Array.from(b.dateOrder)).toEqual(Array.from(a.dateOrder));
        expect(Array.from(b.hygiene)).toEqual(Array.from(a.hygiene));
        // Registers (or the exact sparse set) are identical; the envelope's `n` counts add() calls,
        // which pre-aggregation of repeated values makes depend on where blocks start.
        expect(JSON.stringify(b.distinct.serialize().payload)).toBe(JSON.stringify(a.distinct.serialize().payload));
        expect(b.numbers.n).toBe(a.numbers.n);
        expect(b.numbers.min).toBe(a.numbers.min);
        expect(b.numbers.max).toBe(a.numbers.max);
        if (a.numbers.n > 0) {
          expect(Math.abs(b.numbers.mean - a.numbers.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a.numbers.mean)));
          expect(Math.abs(b.numbers.m2 - a.numbers.m2)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a.numbers.m2)));
        }
        // Misra-Gries stays within its bound of the exact counts after merging.
        const exact = new Map<string, number>();
        for (const row of rows) {
          const v = row[j];
          if (v !== undefined) exact.set(v, (exact.get(v) ?? 0) + 1);
        }
        for (const [value, count] of b.topValues.items()) {
          const truth = exact.get(value) ?? 0;
          expect(truth - count).toBeGreaterThanOrEqual(0);
          expect(truth - count).toBeLessThanOrEqual(b.topValues.err);
        }
      }
      // Finalized figures of split and whole agree.
      const fa = finalizeDataset(whole);
      const fb = finalizeDataset(merged);
      for (let j = 0; j < HEADER.length; j++) {
        expect(fb.columns[j].type).toBe(fa.columns[j].type);
        expect(fb.columns[j].counts).toEqual(fa.columns[j].counts);
        expect(fb.columns[j].distinct).toBe(fa.columns[j].distinct);
      }
    }
  });

  it('sketches value lengths, short ones counted exactly until flush and long ones as they come', () => {
    const state = DatasetState.create(['text'], 3);
    const lengths: number[] = [];
    for (let i = 0; i < 4000; i++) {
      // mostly short values, whose lengths pile up in the per-state counts, and a few over 255
      const length = i % 97 === 0 ? 256 + (i % 500) : 1 + ((i * 7) % 40);
      lengths.push(length);
      state.updateRow(['x'.repeat(length)]);
    }
    const text = JSON.parse(JSON.stringify(state.toJSON()));
    const restored = DatasetState.fromJSON(text).columns[0].lengths;
    const sorted = [...lengths].sort((a, b) => a - b);
    expect(restored.n).toBe(4000);
    expect(restored.min).toBe(sorted[0]);
    expect(restored.max).toBe(sorted[sorted.length - 1]);
    // KLL's rank bound (k = 200) for the median
    const p50 = restored.quantile(0.5);
    const rank = sorted.filter((x) => x <= p50).length / sorted.length;
    expect(Math.abs(rank - 0.5)).toBeLessThanOrEqual(0.0133 + 1 / 40);
    // split at any row, the merged lengths hold the same values
    const a = DatasetState.create(['text'], 1);
    const b = DatasetState.create(['text'], 2);
    lengths.forEach((length, i) => (i < 1234 ? a : b).updateRow(['x'.repeat(length)]));
    const merged = a.merge(b).columns[0].lengths;
    expect([merged.n, merged.min, merged.max]).toEqual([4000, sorted[0], sorted[sorted.length - 1]]);
  });

  it('round-trips through its JSON wire form byte for byte', () => {
    const text = JSON.stringify(whole.toJSON());
    const again = JSON.stringify(DatasetState.fromJSON(JSON.parse(text)).toJSON());
    expect(again).toBe(text);
  });

  it('refuses to merge states of different headers or versions', () => {
    const other = DatasetState.create(['a', 'b'], 0);
    expect(() => whole.merge(other)).toThrow(/different headers/);
    const json = whole.toJSON();
    expect(() => DatasetState.fromJSON({ ...json, version: 99 })).toThrow(/version/);
  });

  it('refuses a state whose column sketches have other parameters than a column keeps', () => {
    const json = JSON.parse(JSON.stringify(whole.toJSON()));
    const column = json.columns[0];
    const smallTop = new MisraGries(8);
    smallTop.update('x');
    expect(() => DatasetState.fromJSON({ ...json, columns: [{ ...column, topValues: smallTop.serialize() }, ...json.columns.slice(1)] })).toThrow(
      /different k \(256 vs 8\)/,
    );
    expect(() =>
      DatasetState.fromJSON({ ...json, columns: [{ ...column, distinct: new HyperLogLog(12).serialize() }, ...json.columns.slice(1)] }),
    ).toThrow(/different p \(14 vs 12\)/);
  });

  it('counts cell states as the rows say', () => {
    const s = stateOf(
      [
        ['1', '', '2024-01-01', 'DE', ' ', 'true'],
        ['2', '3.5', '2024-01-02', 'FR', 'NULL', 'false'],
        ['3', '4'],
      ],
      0,
    );
    const [id, amount, created, , note] = s.columns;
    expect(s.rows).toBe(3);
    expect(s.rowsMissingFields).toBe(1);
    expect(id.present).toBe(3);
    expect(amount.empty).toBe(1);
    expect(amount.present).toBe(2);
    expect(created.missingField).toBe(1);
    expect(note.whitespace).toBe(1);
    expect(note.sentinelCandidates).toBe(1);
  });

  it('profiles batches column by column to exactly the state of row-by-row updates', () => {
    const r = rng(5);
    const rows = makeRows(3000, 13);
    // Blank lines, extra fields and fully empty records are counted apart; they must stay so.
    for (let i = 0; i < 60; i++) rows.splice(Math.floor(r() * rows.length), 0, ['']);
    rows.splice(10, 0, [...rows[9], 'extra']);
    rows.splice(20, 0, ['', '', '', '', '', '']);
    const byRow = DatasetState.create(HEADER, 4);
    for (const row of rows) byRow.updateRow(row);
    const byBatch = DatasetState.create(HEADER, 4);
    for (let i = 0; i < rows.length; ) {
      const size = 1 + Math.floor(r() * 700);
      const batch = rows.slice(i, i + size);
      // a longer array of which only `count` rows are profiled, as profileBlock reuses its batch
      byBatch.updateRows([...batch, ['9', 'x', 'y', 'z', 'w', 'v']], batch.length);
      i += size;
    }
    expect(byBatch.emptyRecords).toBe(60);
    expect(byBatch.rowsExtraFields).toBe(1);
    expect(JSON.stringify(byBatch.flush().toJSON())).toBe(JSON.stringify(byRow.flush().toJSON()));
  });
});
