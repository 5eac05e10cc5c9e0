import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../test/support/snapshot-builder.js';
import { createRandom } from '../../../test/support/random.js';
import { compareSnapshots } from './compare-snapshots.js';
import { DIMENSIONS } from './drs-parameters.js';
import { roundBreakdown, type ScoreBreakdown } from './score.js';

const AS_OF = new Date('2025-01-01T00:00:00Z');
const key = (i: number) => `ORD-${String(i).padStart(6, '0')}`;
const words = 'the parcel arrived late and the customer asked for a refund of the damaged item'.split(' ');

function texts(seed: number, n: number): string[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => Array.from({ length: 8 + random.int(10) }, () => words[random.int(words.length)]).join(' '));
}

describe('identifiers are judged by uniqueness', () => {
  it('finds keys that gained duplicates in production, and nothing in unique halves', () => {
    const pilot = buildDataset([{ name: 'order', values: Array.from({ length: 2000 }, (_, i) => key(i)) }]);
    expect(pilot.columns[0].role).toBe('identifier');
    const clean = buildDataset([{ name: 'order', values: Array.from({ length: 2000 }, (_, i) => key(2000 + i)) }]);
    const ok = compareSnapshots(pilot, clean, { asOf: AS_OF });
    expect(ok.findings).toEqual([]);
    expect(ok.columns[0].identifier?.productionDuplicateShare).toBe(0);

    const random = createRandom(3);
    const duplicated = Array.from({ length: 2000 }, (_, i) => (random.next() < 0.25 ? key(2000 + random.int(2000)) : key(2000 + i)));
    const r = compareSnapshots(pilot, buildDataset([{ name: 'order', values: duplicated }]), { asOf: AS_OF });
    const f = r.findings.find((x) => x.code === 'DUPLICATE_KEYS')!;
    expect(f.dimension).toBe('distribution');
    expect(f.severity).toBe('critical');
    expect(r.columns[0].pointsLostByDimension.distribution).toBeGreaterThan(0);
    // no category-mix test on an identifier, whatever its values
    expect(r.findings.some((x) => x.code === 'CATEGORICAL_DRIFT' || x.code === 'NEW_CATEGORIES')).toBe(false);
  });

  it("holds production to the pilot's duplicate share scaled to production's size", () => {
    // one value in twenty repeats in a pilot of 1,000: a production nine times larger repeats about nine times as often
    const pilotValues = Array.from({ length: 1000 }, (_, i) => key(i % 20 === 0 ? i + 1 : i));
    const productionValues = Array.from({ length: 9000 }, (_, i) => key(i % 20 < 9 && i % 2 === 0 ? i + 1 : i));
    const pilot = buildDataset([{ name: 'order', values: pilotValues, role: 'identifier' }]);
    const production = buildDataset([{ name: 'order', values: productionValues, role: 'identifier' }]);
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    const evidence = r.columns[0].identifier!;
    expect(evidence.pilotDuplicateShare).toBeCloseTo(0.05, 12);
    expect(evidence.expectedDuplicateShare).toBeCloseTo(0.45, 12);
    expect(r.findings.some((f) => f.code === 'DUPLICATE_KEYS')).toBe(false);
  });
});

describe('identifiers are judged by shape', () => {
  it('finds keys written in another shape, in the format dimension', () => {
    const pilot = buildDataset([{ name: 'order', values: Array.from({ length: 1500 }, (_, i) => key(i)) }]);
    const reshaped = Array.from({ length: 1500 }, (_, i) => (i % 3 === 0 ? String(500_000 + i) : key(5000 + i)));
    const r = compareSnapshots(pilot, buildDataset([{ name: 'order', values: reshaped }]), { asOf: AS_OF });
    const f = r.findings.find((x) => x.code === 'KEY_SHAPE_CHANGED')!;
    expect(f.dimension).toBe('format');
    expect(f.message).toBe("order: 33% of production keys are shaped 999999 (pilot 0%).");
    expect(r.columns[0].pointsLostByDimension.format).toBeGreaterThan(0);
    // the same shape throughout is no finding
    const same = compareSnapshots(pilot, buildDataset([{ name: 'order', values: Array.from({ length: 1500 }, (_, i) => key(9000 + i)) }]), { asOf: AS_OF });
    expect(same.findings).toEqual([]);
  });
});

describe('free text is judged by its lengths', () => {
  it('finds truncated texts and nothing between two samples of one population', () => {
    const pilot = buildDataset([{ name: 'comment', values: texts(1, 1500) }]);
    expect(pilot.columns[0].role).toBe('free_text');
    const same = compareSnapshots(pilot, buildDataset([{ name: 'comment', values: texts(2, 1500) }]), { asOf: AS_OF });
    expect(same.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const cut = texts(2, 1500).map((t) => t.slice(0, 20).trim());
    const r = compareSnapshots(pilot, buildDataset([{ name: 'comment', values: cut }]), { asOf: AS_OF });
    const f = r.findings.find((x) => x.code === 'TEXT_LENGTH_DRIFT')!;
    expect(f.severity).toBe('critical');
    expect(f.message).toMatch(/^comment: production's texts are shorter \(median \d+ characters, the pilot's \d+; PSI \d+\.\d\d after sample-size correction\)\.$/);
    expect(r.findings.some((x) => x.code === 'CATEGORICAL_DRIFT')).toBe(false);
  });
});

describe('the score as served', () => {
  it('is clamped and rounded to hundredths, and its points lost add up to 100 − score exactly', () => {
    const raw: ScoreBreakdown = {
      score: 100.00000000000003 - 3 * (1 / 3 + 1 / 7 + 1 / 11),
      dimensions: { completeness: 99.99999999999997, format: 100.00000000000003, freshness: null, schema: 100, distribution: 1 / 3 },
      weights: { completeness: 0.25, format: 0.25, freshness: 0, schema: 0.25, distribution: 0.25 },
      columns: [1 / 3, 1 / 7, 1 / 11].map((x) => ({
        pointsLost: 3 * x,
        pointsLostByDimension: { completeness: x, format: x, freshness: 0, schema: 0, distribution: x },
      })),
      halfWidth: 1.23456,
    };
    const served = roundBreakdown(raw);
    expect(served.score).toBe(98.3);
    expect(served.dimensions.completeness).toBe(100);
    expect(served.dimensions.format).toBe(100);
    expect(served.dimensions.distribution).toBe(0.33);
    expect(served.halfWidth).toBe(1.23);
    const hundredths = served.columns.flatMap((c) => DIMENSIONS.map((d) => Math.round(c.pointsLostByDimension[d] * 100)));
    expect(hundredths.reduce((a, b) => a + b, 0)).toBe(Math.round((100 - served.score) * 100));
    for (const c of served.columns) {
      expect(Math.round(c.pointsLost * 100)).toBe(DIMENSIONS.reduce((s, d) => s + Math.round(c.pointsLostByDimension[d] * 100), 0));
      for (const d of DIMENSIONS) expect(c.pointsLostByDimension[d] * 100).toBeCloseTo(Math.round(c.pointsLostByDimension[d] * 100), 9);
    }
  });
});
