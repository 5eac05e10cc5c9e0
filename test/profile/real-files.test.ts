import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileFile, type ProfileResult } from '../../src/profiler/profile-file.js';
import { REAL_FIXTURES } from '../support/real-fixtures.js';

/**
 * The profiler against real files nobody here wrote: expectations come from the measured facts
 * and DuckDB's exact statistics beside them (fixtures/real), never from our output.
 */
const REAL = REAL_FIXTURES;
const files = readdirSync(join(REAL, 'files')).filter((f) => f.endsWith('.csv'));

interface Facts {
  rows: number;
  bom: string | null;
  encoding: string;
  raggedRows: number;
  header: string[];
  columns: Array<{ name: string; empty: number; whitespaceOnly: number }>;
}
interface OracleColumn {
  column: string;
  type: string;
  distinct_exact: string;
  min?: string;
  max?: string;
  mean?: number;
  quantiles_cont?: number[];
}
interface Oracle {
  nullstr: string[] | null;
  exact: OracleColumn[];
}

const load = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

describe.each(files)('real file %s', (file) => {
  const facts = load<Facts>(join(REAL, 'facts', `${file}.facts.json`));
  const oracle = load<Oracle>(join(REAL, 'oracle', `${file.replace(/\.csv$/, '')}.oracle.json`));
  let whole: ProfileResult;
  let split: ProfileResult;

  it('profiles in one block and in many small blocks to the same counts', async () => {
    whole = await profileFile(join(REAL, 'files', file), { threads: 0 });
    // About 16 blocks per file: every fixture is cut into several row-aligned blocks and merged.
    const size = statSync(join(REAL, 'files', file)).size;
    split = await profileFile(join(REAL, 'files', file), { threads: 0, blockBytes: Math.max(128, Math.floor(size / 16)) });
    expect(split.blocks).toBeGreaterThan(whole.blocks);
    expect(split.json.rows).toBe(whole.json.rows);
    for (let j = 0; j < whole.json.columns.length; j++) {
      const a = whole.json.columns[j];
      const b = split.json.columns[j];
      expect(b.counts, a.name).toEqual(a.counts);
      expect(b.formats, a.name).toEqual(a.formats);
      expect(b.type, a.name).toBe(a.type);
      // Distinct counts are the same when both are exact, or both estimates (HyperLogLog merges to the same
      // registers). A block of near-unique values may end its exact count of frequencies early where smaller
      // blocks did not: then the exact count lies within the estimate's bounds.
      if (a.distinctExact === b.distinctExact) expect(b.distinct, a.name).toBe(a.distinct);
      else {
        const [exact, estimate] = a.distinctExact ? [a, b] : [b, a];
        expect(exact.distinct, a.name).toBeGreaterThanOrEqual(estimate.distinctBounds.low);
        expect(exact.distinct, a.name).toBeLessThanOrEqual(estimate.distinctBounds.high);
      }
      if (a.numeric) {
        expect(b.numeric!.min).toBe(a.numeric.min);
        expect(b.numeric!.max).toBe(a.numeric.max);
        expect(Math.abs(b.numeric!.mean - a.numeric.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a.numeric.mean)));
      }
    }
  });

  it('reports rows, encoding, BOM and ragged rows as measured', () => {
    expect(whole.json.rows).toBe(facts.rows);
    expect(whole.json.bom).toBe(facts.bom !== null);
    expect(whole.json.decodedAs).toBe(facts.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8');
    expect(whole.json.raggedRows.missingFields + whole.json.raggedRows.extraFields).toBe(facts.raggedRows);
    expect(whole.json.header).toEqual(facts.header);
  });

  it('counts empty and whitespace-only cells exactly', () => {
    for (const [j, fc] of facts.columns.entries()) {
      const c = whole.json.columns[j];
      expect(c.name).toBe(fc.name);
      expect(c.counts.empty, `${fc.name} empty`).toBe(fc.empty);
      expect(c.counts.whitespace, `${fc.name} whitespace`).toBe(fc.whitespaceOnly);
    }
  });

  it("matches DuckDB's exact min, max and mean of numeric columns", () => {
    for (const oc of oracle.exact) {
      if (oc.type !== 'BIGINT' && oc.type !== 'DOUBLE') continue;
      const c = whole.json.columns.find((col) => col.name === oc.column)!;
      expect(c.numeric, `${oc.column} should be numeric (${c.type})`).not.toBeNull();
      expect(c.numeric!.min, oc.column).toBe(Number(oc.min));
      expect(c.numeric!.max, oc.column).toBe(Number(oc.max));
      const mean = oc.mean!;
      expect(Math.abs(c.numeric!.mean - mean), oc.column).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(mean)));
    }
  });

  it("puts DuckDB's exact median within 2% rank of the sketch", () => {
    for (const oc of oracle.exact) {
      if (!oc.quantiles_cont || (oc.type !== 'BIGINT' && oc.type !== 'DOUBLE')) continue;
      const snap = whole.snapshot.columns.find((col) => col.name === oc.column)!;
      const sketch = snap.numeric!.sketch;
      const median = oc.quantiles_cont[1];
      // The exact median's rank lies in [cdfStrict, cdf]; it must come within 2% of 0.5.
      const low = sketch.cdfStrict(median);
      const high = sketch.cdf(median);
      expect(low, `${oc.column} rank below median`).toBeLessThanOrEqual(0.52);
      expect(high, `${oc.column} rank at median`).toBeGreaterThanOrEqual(0.48);
    }
  });

  it("counts distinct values within 3% of DuckDB's exact distinct count", () => {
    for (const oc of oracle.exact) {
      // DuckDB counts typed values (1.0 = 1); compare where both read the column as text or integers.
      if (oc.type !== 'VARCHAR' && oc.type !== 'BIGINT') continue;
      const c = whole.json.columns.find((col) => col.name === oc.column)!;
      const judgedValues = c.sentinels.filter((s) => s.judgedAs === 'value').length;
      const nullTokens = new Set((oracle.nullstr ?? ['']).filter((t) => t !== ''));
      // Tokens DuckDB was told are nulls but that this column reads as values are not in its count.
      const adjust = c.sentinels.filter((s) => s.judgedAs === 'value' && nullTokens.has(s.token)).length;
      const expected = Number(oc.distinct_exact) + adjust;
      expect(Math.abs(c.distinct - expected), `${oc.column} distinct ${c.distinct} vs ${expected} (${judgedValues} tokens read as values)`).toBeLessThanOrEqual(
        Math.max(1, 0.03 * expected),
      );
    }
  });
});
