import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../src/engine/compare/compare-snapshots.js';
import { DIMENSIONS } from '../../src/engine/compare/drs-parameters.js';
import type { RealityReport } from '../../src/engine/compare/reality-report.js';
import { profileBytes } from '../../src/profiler/profile-file.js';
import { splitAndInject, type SplitResult } from '../support/split-and-inject.js';
import { REAL_FIXTURES } from '../support/real-fixtures.js';
import { expectConsistentReport } from '../support/report-checks.js';

/**
 * Stability and sensitivity on real files: a seeded 50/50 split of a file compared with itself is "no gap"
 * (≥ 95, nothing above info); the same split with defects injected into production finds every defect on its
 * column and dimension and scores at least 15 points lower.
 */
const FILES = join(REAL_FIXTURES, 'files');
const AS_OF = new Date('2025-01-01T00:00:00Z');
const SEED = 7;

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

async function compareSplit(split: SplitResult): Promise<RealityReport> {
  const encoder = new TextEncoder();
  const pilot = await profileBytes(encoder.encode(split.pilotCsv), { asOf: AS_OF, threads: 0 });
  const production = await profileBytes(encoder.encode(split.productionCsv), { asOf: AS_OF, threads: 0 });
  return expectConsistentReport(compareSnapshots(pilot.snapshot, production.snapshot, { asOf: AS_OF }));
}

function checkAdditive(report: RealityReport): void {
  const lost = report.columns.reduce((s, c) => s + c.pointsLost, 0);
  expect(lost).toBeCloseTo(100 - (report.score as number), 9);
  for (const c of report.columns) expect(DIMENSIONS.reduce((s, d) => s + c.pointsLostByDimension[d], 0)).toBeCloseTo(c.pointsLost, 12);
}

const files = readdirSync(FILES).filter((f) => f.endsWith('.csv')).sort();

describe.each(files)('%s split in two', (file) => {
  const text = decode(readFileSync(`${FILES}/${file}`));
  const columns = splitAndInject(text, { seed: SEED }).header.length;
  // Wide tables get each defect on several columns, so that the defects cover about the same share of any table.
  const columnsPerDefect = Math.max(1, Math.round(columns / 7));

  it('scores a clean split as no gap', async () => {
    const split = splitAndInject(text, { seed: SEED });
    const report = await compareSplit(split);
    const above = report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.column}: ${f.message}`);
    expect(above).toEqual([]);
    if (Math.min(split.pilotRows, split.productionRows) < 100) {
      expect(report.score).toBeNull();
      expect(report.confidence.level).toBe('insufficient');
      return;
    }
    expect(report.score as number).toBeGreaterThanOrEqual(95);
    expect(report.blockers.filter((b) => b.code !== 'PRODUCTION_STALE')).toEqual([]);
    checkAdditive(report);
  });

  it('finds every injected defect on its column and dimension and scores at least 15 points lower', async () => {
    const clean = await compareSplit(splitAndInject(text, { seed: SEED }));
    const split = splitAndInject(text, { seed: SEED, inject: true, columnsPerDefect });
    expect(split.defects.length).toBeGreaterThan(0);
    const report = await compareSplit(split);
    if (Math.min(split.pilotRows, split.productionRows) < 100) {
      // Too few rows to score; structural defects are still reported.
      expect(report.score).toBeNull();
      for (const d of split.defects.filter((x) => x.kind === 'drop-column')) {
        expect(report.findings.some((f) => f.column === d.column && f.code === 'COLUMN_MISSING')).toBe(true);
      }
      return;
    }
    const missed = split.defects
      .filter((d) => !report.findings.some((f) => f.column === d.column && f.dimension === d.dimension && f.severity !== 'info'))
      .map((d) => `${d.kind} on ${d.column} (${d.dimension})`);
    expect(missed).toEqual([]);
    expect((clean.score as number) - (report.score as number)).toBeGreaterThanOrEqual(15);
    checkAdditive(report);
    // Each damaged column loses points in the dimension its defect belongs to.
    for (const d of split.defects) {
      const column = report.columns.find((c) => c.name === d.column)!;
      expect(column.pointsLostByDimension[d.dimension], `${d.kind} on ${d.column}`).toBeGreaterThan(0);
    }
  });
});
