import { expect } from 'vitest';
import { additivityProblems } from '../../eval/split-eval.js';
import type { RealityReport } from '../../src/engine/compare/reality-report.js';

/**
 * What holds for every report, whatever the data: points lost add up to 100 − score in hundredths (and each
 * column's to the sum of its dimensions), and every figure a finding's message quotes comes from its evidence.
 */
export function expectConsistentReport(report: RealityReport): RealityReport {
  expect(additivityProblems(report)).toEqual([]);
  return report;
}
