import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSnapshots as compareRaw, type CompareOptions } from '../../src/engine/compare/compare-snapshots.js';
import { DIMENSIONS } from '../../src/engine/compare/drs-parameters.js';
import type { Finding, RealityReport } from '../../src/engine/compare/reality-report.js';
import type { DatasetSnapshot } from '../../src/engine/model/snapshot.js';
import { profileFile } from '../../src/profiler/profile-file.js';
import { exactJsDistance, exactOutsideSoftRange, exactPsi, exactUnseen, parseTable, presentValues, type Table } from '../support/exact-stats.js';
import { REAL_FIXTURES } from '../support/real-fixtures.js';
import { expectConsistentReport } from '../support/report-checks.js';

/** Every report of these tests is also checked for what holds whatever the data (see expectConsistentReport). */
const compareSnapshots = (pilot: DatasetSnapshot, production: DatasetSnapshot, options: CompareOptions) =>
  expectConsistentReport(compareRaw(pilot, production, options));

/**
 * The real pilot/production pairs in fixtures/real/pairs. `pair.json` lists, per column, what differs (empty and
 * sentinel rates, value kinds, new categories, date ranges) and the schema differences: every listed difference
 * at or above the METRICS §4.2 flag must be a finding on the right column and dimension, and nothing may be
 * flagged at warning or above that the pair does not differ in. Distribution shapes are not listed in
 * pair.json, so a distribution finding is checked against the exact statistic computed here from the raw rows.
 */
const PAIRS = join(REAL_FIXTURES, 'pairs');

interface ColumnFacts {
  readonly emptyRate: number;
  readonly sentinelRate: number;
  readonly kinds: Readonly<Record<string, number>>;
  readonly dateRange: readonly [string, string] | null;
}

interface PairColumn {
  readonly pilot: string;
  readonly production: string;
  readonly pilotFacts: ColumnFacts;
  readonly productionFacts: ColumnFacts;
  readonly emptyRateDelta: number;
  readonly sentinelRateDelta: number;
  readonly kindChanged: boolean;
  readonly newCategoriesInProduction?: Readonly<Record<string, number>>;
}

interface Pair {
  readonly suggestedAsOf: string;
  readonly expected: {
    readonly rows: { readonly pilot: number; readonly production: number };
    readonly schema: {
      readonly normalizedNameMatches: ReadonlyArray<readonly [string, string]>;
      readonly onlyInPilot: readonly string[];
      readonly onlyInProduction: readonly string[];
      readonly groundTruthMapping: ReadonlyArray<readonly [string, string]> | null;
    };
    readonly columns: readonly PairColumn[];
  };
}

/** METRICS §4.2: a null-rate delta is a finding from 0.05. */
const NULL_FLAG = 0.05;
const DAY = 86_400_000;

function atLeastWarning(f: Finding): boolean {
  return f.severity !== 'info';
}

function kindShares(kinds: Readonly<Record<string, number>>): Map<string, number> {
  const total = Object.values(kinds).reduce((a, b) => a + b, 0);
  return new Map(Object.entries(kinds).map(([k, v]) => [k, total > 0 ? v / total : 0]));
}

function kindsTvd(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): number {
  const p = kindShares(a);
  const q = kindShares(b);
  let s = 0;
  for (const k of new Set([...p.keys(), ...q.keys()])) s += Math.abs((p.get(k) ?? 0) - (q.get(k) ?? 0));
  return s / 2;
}

function checkAdditive(report: RealityReport): void {
  expect(report.score).not.toBeNull();
  const lost = report.columns.reduce((s, c) => s + c.pointsLost, 0);
  expect(lost).toBeCloseTo(100 - (report.score as number), 9);
  for (const c of report.columns) expect(DIMENSIONS.reduce((s, d) => s + c.pointsLostByDimension[d], 0)).toBeCloseTo(c.pointsLost, 12);
}

describe.each(['birdstrikes', 'movies'])('pair %s', (name) => {
  const pair = JSON.parse(readFileSync(`${PAIRS}/${name}/pair.json`, 'utf8')) as Pair;
  const asOf = new Date(pair.suggestedAsOf);
  let pilot: DatasetSnapshot;
  let production: DatasetSnapshot;
  let pilotTable: Table;
  let productionTable: Table;
  let report: RealityReport;
  let mapped: RealityReport;
  const findingsOn = (r: RealityReport, column: string, dimension: string) =>
    r.findings.filter((f) => f.column === column && f.dimension === dimension);

  beforeAll(async () => {
    pilot = (await profileFile(`${PAIRS}/${name}/pilot.csv`, { asOf, threads: 0 })).snapshot;
    production = (await profileFile(`${PAIRS}/${name}/production.csv`, { asOf, threads: 0 })).snapshot;
    pilotTable = parseTable(readFileSync(`${PAIRS}/${name}/pilot.csv`, 'utf8'));
    productionTable = parseTable(readFileSync(`${PAIRS}/${name}/production.csv`, 'utf8'));
    report = compareSnapshots(pilot, production, { asOf });
    const mapping = pair.expected.schema.groundTruthMapping;
    mapped = compareSnapshots(pilot, production, {
      asOf,
      columnMap: mapping ? Object.fromEntries(mapping.map(([p, q]) => [p, q])) : undefined,
    });
  });

  it('reads both samples whole and scores them with exact additivity', () => {
    expect(pilot.rows).toBe(pair.expected.rows.pilot);
    expect(production.rows).toBe(pair.expected.rows.production);
    checkAdditive(report);
    checkAdditive(mapped);
    expect(report.score as number).toBeLessThan(95);
    expect(report.confidence.level).toBe(Math.min(pilot.rows, production.rows) < 385 ? 'low' : 'normal');
  });

  it('finds every schema difference pair.json lists', () => {
    const s = pair.expected.schema;
    for (const column of s.onlyInPilot) {
      expect(findingsOn(report, column, 'schema').map((f) => f.code), column).toContain('COLUMN_MISSING');
    }
    for (const column of s.onlyInProduction) {
      expect(findingsOn(report, column, 'schema').map((f) => f.code), column).toContain('COLUMN_EXTRA');
    }
    for (const [p, q] of s.normalizedNameMatches) {
      const f = findingsOn(report, p, 'schema').find((x) => x.code === 'COLUMN_RENAMED');
      expect(f, p).toBeDefined();
      expect(f!.evidence.productionName).toBe(q);
    }
    expect([...report.schema.missing].sort()).toEqual([...s.onlyInPilot].sort());
    expect([...report.schema.extra].sort()).toEqual([...s.onlyInProduction].sort());
    expect(report.schema.renamedCase.map((r) => [r.pilot, r.production])).toEqual(
      expect.arrayContaining(s.normalizedNameMatches.map(([p, q]) => [p, q])),
    );
  });

  it('matches every column through the ground-truth column map without schema findings for the names', () => {
    const mapping = pair.expected.schema.groundTruthMapping;
    if (!mapping) {
      expect(mapped.findings.filter((f) => f.code === 'COLUMN_RENAMED' || f.code === 'COLUMN_MISSING')).toEqual([]);
      return;
    }
    expect(mapped.schema.missing).toEqual([]);
    expect(mapped.findings.some((f) => f.code === 'COLUMN_RENAMED' || f.code === 'COLUMN_MISSING')).toBe(false);
    for (const [p, q] of mapping) expect(mapped.columns.find((c) => c.name === p)?.productionName).toBe(q);
  });

  it('finds every per-column difference pair.json lists at or above the METRICS flags', () => {
    for (const c of pair.expected.columns) {
      const r = mapped;
      if (c.emptyRateDelta >= NULL_FLAG || c.sentinelRateDelta >= NULL_FLAG) {
        expect(findingsOn(r, c.pilot, 'completeness').filter(atLeastWarning).length, `${c.pilot} completeness`).toBeGreaterThan(0);
      }
      if (c.kindChanged) {
        expect(findingsOn(r, c.pilot, 'format').filter(atLeastWarning).length, `${c.pilot} format`).toBeGreaterThan(0);
      }
      const added = Object.entries(c.newCategoriesInProduction ?? {}).sort((a, b) => b[1] - a[1]);
      if (added.length > 0) {
        const f = findingsOn(r, c.pilot, 'distribution').find((x) => x.code === 'NEW_CATEGORIES');
        expect(f, `${c.pilot} new categories`).toBeDefined();
        const examples = (f!.evidence.examples as Array<{ value: string }>).map((e) => e.value);
        expect(examples).toContain(added[0][0]);
      }
      const range = c.productionFacts.dateRange;
      if (range && Date.parse(`${range[1]}T00:00:00Z`) > asOf.getTime()) {
        expect(findingsOn(r, c.pilot, 'freshness').map((f) => f.code), `${c.pilot} future dates`).toContain('FUTURE_TIMESTAMPS');
      }
    }
  });

  it('flags nothing at warning or above that the pair does not differ in', () => {
    const byPilot = new Map(pair.expected.columns.map((c) => [c.pilot, c]));
    const schema = pair.expected.schema;
    for (const f of mapped.findings.filter(atLeastWarning)) {
      const c = f.column === null ? undefined : byPilot.get(f.column);
      const label = `${f.code} on ${f.column}: ${f.message}`;
      switch (f.dimension) {
        case 'schema':
          if (f.code === 'TYPE_CHANGED') expect(c?.kindChanged, label).toBe(true);
          else if (f.code === 'COLUMN_MISSING') expect(schema.onlyInPilot, label).toContain(f.column);
          else expect.fail(`unexpected schema finding ${label}`);
          break;
        case 'completeness':
          expect(Math.max(c!.emptyRateDelta, c!.sentinelRateDelta), label).toBeGreaterThanOrEqual(NULL_FLAG - 0.01);
          break;
        case 'format':
          expect(c!.kindChanged || kindsTvd(c!.pilotFacts.kinds, c!.productionFacts.kinds) >= 0.05, label).toBe(true);
          break;
        case 'freshness': {
          const p = c!.pilotFacts.dateRange!;
          const q = c!.productionFacts.dateRange!;
          if (f.code === 'FUTURE_TIMESTAMPS') expect(Date.parse(`${q[1]}T00:00:00Z`), label).toBeGreaterThan(asOf.getTime());
          else expect(Date.parse(`${p[1]}T00:00:00Z`) - Date.parse(`${q[1]}T00:00:00Z`), label).toBeGreaterThan(7 * DAY);
          break;
        }
        case 'distribution': {
          const p = presentValues(pilotTable, c!.pilot);
          const q = presentValues(productionTable, c!.production);
          if (f.code === 'CATEGORICAL_DRIFT') expect(exactJsDistance(p, q), label).toBeGreaterThanOrEqual(0.134);
          else if (f.code === 'NUMERIC_DRIFT') expect(exactPsi(p, q), label).toBeGreaterThanOrEqual(0.1);
          else if (f.code === 'RANGE_VIOLATIONS') expect(exactOutsideSoftRange(p, q), label).toBeGreaterThanOrEqual(0.03);
          else if (f.code === 'NEW_CATEGORIES') {
            if (c!.newCategoriesInProduction !== undefined) expect(Object.keys(c!.newCategoriesInProduction).length, label).toBeGreaterThan(0);
            const { unseen, goodTuring } = exactUnseen(p, q);
            expect(unseen - goodTuring, label).toBeGreaterThanOrEqual(0.01);
          } else expect.fail(`unexpected distribution finding ${label}`);
          break;
        }
      }
    }
  });

  it('gives every finding a one-sentence message and a stable fingerprint', () => {
    for (const f of report.findings) {
      expect(f.message.startsWith(f.column === null ? '' : `${f.column}: `), f.message).toBe(true);
      expect(f.message.endsWith('.'), f.message).toBe(true);
      expect(f.code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    }
    const again = compareSnapshots(pilot, production, { asOf });
    expect(again.findings.map((f) => f.fingerprint)).toEqual(report.findings.map((f) => f.fingerprint));
  });
});
