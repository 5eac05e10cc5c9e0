import { describe, expect, it } from 'vitest';
import { zipfStream } from '../../../test/support/long-tail.js';
import { createRandom } from '../../../test/support/random.js';
import { MisraGries } from '../sketch/misra-gries.js';
import { compareCategorical } from './categorical-comparison.js';

/** A long tail: value i with weight 1/(i+1), over `distinct` values, in random order. */
function longTail(seed: number, n: number, distinct: number): string[] {
  return zipfStream(createRandom(seed).next, n, distinct, 1);
}

function summary(values: readonly string[], exactLimit?: number): MisraGries {
  const mg = new MisraGries(256, { exactLimit });
  for (const v of values) mg.update(v);
  return mg;
}

describe('compareCategorical on sketch bounds', () => {
  it('never reads approximate counters as frequencies: two halves of a long tail show no drift', () => {
    for (const seed of [1, 2, 3]) {
      const values = longTail(seed, 60_000, 40_000);
      const pilot = summary(values.slice(0, 30_000));
      const production = summary(values.slice(30_000));
      expect(pilot.exact()).toBe(false);
      const c = compareCategorical('name', pilot, production, false);
      expect(c.findings.filter((f) => f.severity !== 'info')).toEqual([]);
      expect(c.credit).toBe(1);
      expect(c.drift?.exact).toBe(false);
    }
  });

  it('counts the same halves exactly when the summary may hold them, with the same verdict', () => {
    const values = longTail(4, 40_000, 6_000);
    const pilot = summary(values.slice(0, 20_000), 16_384);
    const production = summary(values.slice(20_000), 16_384);
    expect(pilot.exact() && production.exact()).toBe(true);
    const c = compareCategorical('name', pilot, production, true);
    expect(c.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(c.drift?.exact).toBe(true);
    expect(c.drift?.sketchError).toEqual({ pilot: 0, production: 0 });
  });

  it('still sees a real shift through approximate summaries, and quotes the bounds it knows', () => {
    const values = longTail(5, 60_000, 40_000);
    const pilot = summary(values.slice(0, 30_000));
    const shifted = values.slice(30_000).map((v, i) => (i % 4 === 0 ? 'v7' : v));
    const production = summary(shifted);
    const c = compareCategorical('name', pilot, production, false);
    const drift = c.findings.find((f) => f.code === 'CATEGORICAL_DRIFT');
    expect(drift?.severity).toBe('critical');
    const shift = c.drift!.largestShift!;
    expect(shift.value).toBe('v7');
    // the true shares lie within the bounds the evidence gives
    const share = (xs: readonly string[]) => xs.filter((v) => v === 'v7').length / xs.length;
    expect(shift.pilot).toBeLessThanOrEqual(share(values.slice(0, 30_000)));
    expect(shift.pilotMax).toBeGreaterThanOrEqual(share(values.slice(0, 30_000)));
    expect(shift.production).toBeLessThanOrEqual(share(shifted));
    expect(shift.productionMax).toBeGreaterThanOrEqual(share(shifted));
    expect(shift.production).toBeGreaterThan(0.2);
    expect(drift!.message).toMatch(/'v7' is \d+(\.\d+)?(–\d+(\.\d+)?)?% of production values, \d+(\.\d+)?(–\d+(\.\d+)?)?% of the pilot's/);
  });

  it('quotes true shares when exact', () => {
    const pilot = summary([...Array(600).fill('A'), ...Array(400).fill('B')]);
    const production = summary([...Array(300).fill('A'), ...Array(700).fill('B')]);
    const c = compareCategorical('grade', pilot, production, true);
    const drift = c.findings.find((f) => f.code === 'CATEGORICAL_DRIFT')!;
    expect(drift.message).toBe("grade: the mix of values changed (Jensen–Shannon distance 0.26; 'A' is 30% of production values, 60% of the pilot's).");
  });

  it('leaves out a placeholder token one sample read as missing', () => {
    const pilot = summary([...Array(500).fill('active'), ...Array(500).fill('closed')]);
    const production = summary([...Array(490).fill('active'), ...Array(490).fill('closed'), ...Array(20).fill('null')]);
    const withToken = compareCategorical('status', pilot, production, true);
    expect(withToken.newCategories?.unseenShare).toBeCloseTo(0.02, 12);
    const without = compareCategorical('status', pilot, production, true, undefined, new Set(['null']));
    expect(without.newCategories?.unseenShare).toBe(0);
    expect(without.findings).toEqual([]);
  });
});
