import { describe, expect, it } from 'vitest';
import { blockJobPlan, mergeJobPlan, reportJobPlan, stateBoundMb } from './memory-plan.js';

const MiB = 1024 * 1024;

describe('memory plans', () => {
  it('give a block job more heap the larger the block and the wider the file, above what such blocks were measured to need', () => {
    const narrow = blockJobPlan(8 * MiB, 10).heapMb;
    const wide = blockJobPlan(8 * MiB, 1000).heapMb;
    expect(narrow).toBeGreaterThanOrEqual(32 * 1.5); // the benchmark file's 8 MiB blocks ran in 32 MiB
    expect(wide).toBeGreaterThanOrEqual(160 * 1.5); // 1,000 columns of 40-letter values ran in 160 MiB
    expect(wide).toBeGreaterThan(narrow);
    expect(blockJobPlan(24 * MiB, 1000).heapMb).toBeGreaterThan(wide);
  });

  it('size merges and reports from the bound of a state of that width', () => {
    expect(stateBoundMb(1000)).toBeGreaterThan(140); // a merged state of 1,000 columns held 140 MiB
    expect(mergeJobPlan(1000).heapMb).toBeGreaterThanOrEqual(1.5 * stateBoundMb(1000));
    expect(reportJobPlan(1000).heapMb).toBeGreaterThan(mergeJobPlan(1000).heapMb);
    expect(mergeJobPlan(10).heapMb).toBeLessThan(mergeJobPlan(1000).heapMb);
  });

  it('round plans up to 32 MiB steps and clamp them to the configured maximum, keeping the plan', () => {
    for (const plan of [blockJobPlan(3 * MiB, 17), mergeJobPlan(77), reportJobPlan(5)]) expect(plan.heapMb % 32).toBe(0);
    const clamped = reportJobPlan(1000, 512);
    expect(clamped.heapMb).toBe(512);
    expect(clamped.plannedMb).toBeGreaterThan(512);
    expect(clamped.columns).toBe(1000);
  });
});
