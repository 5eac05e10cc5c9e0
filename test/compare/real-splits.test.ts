import { describe, expect, it } from 'vitest';
import { largeRealFiles } from '../../eval/real-files.js';
import { evaluateFile, type SplitPlan } from '../../eval/split-eval.js';

/**
 * The score on large real files nobody here wrote, as `npm run eval:splits` checks it, on fewer splits so the
 * suite stays short: two random 50/50 splits, a 10/90 split and the whole file against a 30% sample score ≥ 97
 * with nothing at warning or above, and the defects case finds every defect on its column and dimension,
 * nothing else, and scores at least 15 points below its control. Every report's points add up and its
 * messages quote only figures from their evidence.
 */
const PLAN: SplitPlan = { halves: [1, 2], tenNinety: [101], sample30: [201], defectsSeed: 1 };

describe.each(largeRealFiles().map((f) => [f.name, f] as const))('%s', (_name, file) => {
  it('scores random splits about 100 with nothing loud, and finds injected defects', async () => {
    const cases = await evaluateFile(file, PLAN);
    expect(cases.map((c) => c.kind).filter((k) => k.startsWith('defects')).length).toBe(1);
    for (const c of cases) expect(c.failures, `${c.kind}: ${c.loud.slice(0, 3).join(' | ')}`).toEqual([]);
  }, 600_000);
});
