import { describe, expect, it } from 'vitest';
import { buildDataset, type ColumnSpec } from '../../../test/support/snapshot-builder.js';
import { createRandom } from '../../../test/support/random.js';
import { expectConsistentReport } from '../../../test/support/report-checks.js';
import { type CompareOptions, compareSnapshots as compareRaw } from './compare-snapshots.js';
import type { DatasetSnapshot } from '../model/snapshot.js';

/** Every report of these tests is also checked for what holds whatever the data (see expectConsistentReport). */
const compareSnapshots = (pilot: DatasetSnapshot, production: DatasetSnapshot, options: CompareOptions) =>
  expectConsistentReport(compareRaw(pilot, production, options));
import { DIMENSIONS } from './drs-parameters.js';
import type { RealityReport } from './reality-report.js';

const AS_OF = new Date('2024-06-01T00:00:00Z');
const DAY = 86_400_000;
const CATEGORIES = ['Alpha', 'Beta', 'Gamma', 'Delta'];
const CATEGORY_SHARES = [0.4, 0.3, 0.2, 0.1];

interface SampleOptions {
  rows?: number;
  blankCategory?: number;
  scaleAmount?: number;
  dateFormat?: 'iso' | 'mdy';
  daysOlder?: number;
  lowerCase?: number;
  newCategory?: number;
  dropAmount?: boolean;
  renameCreated?: string;
}

/** A sample of a small order table: amount ~ N(100, 15), category from 4 values, created_at in the 60 days before AS_OF. */
function sample(seed: number, o: SampleOptions = {}) {
  const random = createRandom(seed);
  const rows = o.rows ?? 1000;
  const amounts: string[] = [];
  const categories: string[] = [];
  const formats = new Map<string, number>();
  let blank = 0;
  const dates: string[] = [];
  for (let i = 0; i < rows; i++) {
    amounts.push(((100 + 15 * random.normal()) * (o.scaleAmount ?? 1)).toFixed(2));
    let u = random.next();
    let k = 0;
    while (k < 3 && u >= CATEGORY_SHARES[k]) u -= CATEGORY_SHARES[k++];
    if (random.next() < (o.blankCategory ?? 0)) {
      blank++;
    } else {
      let value = random.next() < (o.newCategory ?? 0) ? 'Omega' : CATEGORIES[k];
      if (random.next() < (o.lowerCase ?? 0)) value = value.toLowerCase();
      categories.push(value);
      const f = value === value.toLowerCase() ? 'text:lower' : 'text:Title';
      formats.set(f, (formats.get(f) ?? 0) + 1);
    }
    const t = AS_OF.getTime() - (o.daysOlder ?? 0) * DAY - Math.floor(random.next() * 60) * DAY;
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  const specs: ColumnSpec[] = [];
  if (!o.dropAmount) specs.push({ name: 'amount', values: amounts, numeric: true, type: 'decimal', defaultFormat: 'decimal:dot' });
  specs.push({ name: 'category', values: categories, empty: blank, formats: Object.fromEntries(formats) });
  specs.push({
    name: o.renameCreated ?? 'created_at',
    values: dates,
    timestamp: { role: 'event' },
    type: 'date',
    defaultFormat: o.dateFormat === 'mdy' ? 'date:MM/DD/YYYY' : 'iso_date',
  });
  return buildDataset(specs);
}

function expectAdditive(r: RealityReport): void {
  expect(r.score).not.toBeNull();
  const lost = r.columns.reduce((s, c) => s + c.pointsLost, 0);
  expect(lost).toBeCloseTo(100 - (r.score as number), 9);
  for (const c of r.columns) expect(DIMENSIONS.reduce((s, d) => s + c.pointsLostByDimension[d], 0)).toBeCloseTo(c.pointsLost, 12);
}

function has(r: RealityReport, code: string, column: string, dimension: string) {
  return r.findings.some((f) => f.code === code && f.column === column && f.dimension === dimension);
}

describe('compareSnapshots', () => {
  it('scores two samples of one population near 100 with nothing above info', () => {
    const r = compareSnapshots(sample(1), sample(2), { asOf: AS_OF });
    expect(r.score).toBeGreaterThanOrEqual(98);
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.confidence.level).toBe('normal');
    expect(r.drsVersion).toBe('drs-0.2');
    expect(r.freshnessColumn).toBe('created_at');
    expectAdditive(r);
  });

  it('scores a sample against itself exactly 100', () => {
    const s = sample(3);
    const r = compareSnapshots(s, s, { asOf: AS_OF });
    expect(r.score).toBeCloseTo(100, 12);
    expect(r.findings).toEqual([]);
  });

  it('finds blanked cells as a completeness problem and charges c_j as specified', () => {
    const pilot = sample(1);
    const production = sample(2, { blankCategory: 0.3 });
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    expect(has(r, 'NULL_RATE_INCREASE', 'category', 'completeness')).toBe(true);
    const f = r.findings.find((x) => x.code === 'NULL_RATE_INCREASE')!;
    expect(f.severity).toBe('critical');
    expect(f.message).toMatch(/^category: \d+% of production values are empty, against 0% in the pilot\.$/);
    // c_j = min(1, (C_Q + e0)/C_P), e0 = σ·√(2/π) at the pilot's completeness, here 1: e0 = 0.
    const cQ = production.columns[1].completeness;
    const e0 = 0;
    const column = r.columns.find((c) => c.name === 'category')!;
    expect(column.subScores.completeness).toBeCloseTo(cQ + e0, 10);
    // Four assessable dimensions with all weights: completeness share 0.25, three columns of importance 1.
    // Points are served in hundredths (rounded by largest remainder, so at most 0.01 off).
    expect(Math.abs(column.pointsLostByDimension.completeness - 100 * 0.25 * (1 / 3) * (1 - (cQ + e0)))).toBeLessThanOrEqual(0.01);
    expect(Math.round(column.pointsLostByDimension.completeness * 100)).toBe(column.pointsLostByDimension.completeness * 100);
    expectAdditive(r);
  });

  it('reports a dropped column on the schema and as a blocker when required', () => {
    const r = compareSnapshots(sample(1), sample(2, { dropAmount: true }), { asOf: AS_OF, requiredColumns: ['amount'] });
    expect(has(r, 'COLUMN_MISSING', 'amount', 'schema')).toBe(true);
    expect(r.findings.find((f) => f.code === 'COLUMN_MISSING')!.severity).toBe('critical');
    expect(r.blockers.map((b) => b.code)).toContain('REQUIRED_COLUMN_MISSING');
    expect(r.schema.missing).toEqual(['amount']);
    const amount = r.columns.find((c) => c.name === 'amount')!;
    expect(amount.status).toBe('missing');
    expect(amount.subScores.schema).toBe(0);
    expect(amount.subScores.completeness).toBe(0);
    // Schema: amount (a = 3) scores 0, the others 1: S_S = 2/5.
    expect(r.dimensions.schema).toBeCloseTo(40, 8);
    expectAdditive(r);
  });

  it('finds a date format change on the format dimension and halves schema credit', () => {
    const r = compareSnapshots(sample(1), sample(2, { dateFormat: 'mdy' }), { asOf: AS_OF });
    expect(has(r, 'FORMAT_CHANGED', 'created_at', 'format')).toBe(true);
    const f = r.findings.find((x) => x.code === 'FORMAT_CHANGED')!;
    expect(f.message).toBe('created_at: 100% of production values are MM/DD/YYYY; the pilot was 100% ISO 8601 (YYYY-MM-DD).');
    const created = r.columns.find((c) => c.name === 'created_at')!;
    expect(created.subScores.schema).toBe(0.5);
    expect(created.subScores.format).toBeCloseTo(0, 6);
    expect(r.schema.formatChanged).toEqual([{ column: 'created_at', pilot: 'iso_date', production: 'date:MM/DD/YYYY' }]);
    expectAdditive(r);
  });

  it('finds a scaled numeric column as drift and range violations', () => {
    const r = compareSnapshots(sample(1), sample(2, { scaleAmount: 100 }), { asOf: AS_OF });
    expect(has(r, 'NUMERIC_DRIFT', 'amount', 'distribution')).toBe(true);
    expect(has(r, 'RANGE_VIOLATIONS', 'amount', 'distribution')).toBe(true);
    const amount = r.columns.find((c) => c.name === 'amount')!;
    expect(amount.subScores.distribution).toBe(0);
    expect(amount.numeric!.ks).toBe(1);
    expectAdditive(r);
  });

  it('separates new categories (distribution) from re-spelled ones (format)', () => {
    const added = compareSnapshots(sample(1), sample(2, { newCategory: 0.2 }), { asOf: AS_OF });
    expect(has(added, 'NEW_CATEGORIES', 'category', 'distribution')).toBe(true);
    expect(added.findings.find((f) => f.code === 'NEW_CATEGORIES')!.severity).toBe('critical');
    expect(added.findings.find((f) => f.code === 'NEW_CATEGORIES')!.message).toContain("'Omega'");

    const lowered = compareSnapshots(sample(1), sample(2, { lowerCase: 0.5 }), { asOf: AS_OF });
    expect(has(lowered, 'SPELLING_CHANGED', 'category', 'format')).toBe(true);
    expect(lowered.findings.some((f) => f.code === 'NEW_CATEGORIES' || f.code === 'CATEGORICAL_DRIFT')).toBe(false);
    expect(has(lowered, 'FORMAT_MIX_DRIFT', 'category', 'format')).toBe(true);
    expectAdditive(lowered);
  });

  it('judges freshness relative to each sample’s own as-of', () => {
    // Production's dates end 400 days before its as-of: stale, blocked.
    const stale = compareSnapshots(sample(1), sample(2, { daysOlder: 400 }), { asOf: AS_OF });
    expect(has(stale, 'STALE_DATA', 'created_at', 'freshness')).toBe(true);
    expect(stale.dimensions.freshness).toBeCloseTo(0, 6);
    expect(stale.blockers.map((b) => b.code)).toContain('PRODUCTION_STALE');
    // The same production extracted 400 days earlier is as fresh as the pilot.
    const fair = compareSnapshots(sample(1), sample(2, { daysOlder: 400 }), {
      asOf: new Date(AS_OF.getTime() - 400 * DAY),
      pilotAsOf: AS_OF,
    });
    expect(fair.findings.some((f) => f.dimension === 'freshness')).toBe(false);
    expect(fair.dimensions.freshness).toBeGreaterThan(99);
  });

  it('renormalises the weights when a dimension cannot be assessed', () => {
    const strip = (s: ReturnType<typeof sample>) => ({ ...s, columns: s.columns.slice(0, 2), header: s.header.slice(0, 2), freshnessColumn: null });
    const r = compareSnapshots(strip(sample(1)), strip(sample(2, { blankCategory: 0.3 })), { asOf: AS_OF });
    expect(r.dimensions.freshness).toBeNull();
    expect(r.weights.freshness).toBe(0);
    expect(DIMENSIONS.reduce((s, d) => s + r.weights[d], 0)).toBeCloseTo(1, 12);
    const expected = DIMENSIONS.reduce((s, d) => s + r.weights[d] * (r.dimensions[d] ?? 0), 0);
    // Score and dimensions are each rounded to two decimals: they agree within a hundredth.
    expect(Math.abs((r.score as number) - expected)).toBeLessThanOrEqual(0.01);
    expectAdditive(r);
  });

  it('refuses to score fewer than 100 rows and marks 100–384 rows as low confidence', () => {
    const tiny = compareSnapshots(sample(1, { rows: 60 }), sample(2, { rows: 60 }), { asOf: AS_OF });
    expect(tiny.score).toBeNull();
    expect(tiny.confidence.level).toBe('insufficient');
    const small = compareSnapshots(sample(1, { rows: 200 }), sample(2, { rows: 200 }), { asOf: AS_OF });
    expect(small.confidence.level).toBe('low');
    expect(small.score).not.toBeNull();
    expect(small.confidence.halfWidth).toBeGreaterThan(compareSnapshots(sample(1), sample(2), { asOf: AS_OF }).confidence.halfWidth!);
  });

  it('gives the same problem the same fingerprint on the next report, and another problem another one', () => {
    const a = compareSnapshots(sample(1), sample(2, { blankCategory: 0.3 }), { asOf: AS_OF });
    const b = compareSnapshots(sample(1), sample(3, { blankCategory: 0.5 }), { asOf: AS_OF });
    const fa = a.findings.find((f) => f.code === 'NULL_RATE_INCREASE')!;
    const fb = b.findings.find((f) => f.code === 'NULL_RATE_INCREASE')!;
    expect(fa.fingerprint).toBe(fb.fingerprint);
    expect(fa.evidence).not.toEqual(fb.evidence);
    expect(new Set(a.findings.map((f) => f.fingerprint)).size).toBe(a.findings.length);
  });

  it('reports renamed columns unless the column map names them', () => {
    const renamed = compareSnapshots(sample(1), sample(2, { renameCreated: 'Created At' }), { asOf: AS_OF });
    expect(has(renamed, 'COLUMN_RENAMED', 'created_at', 'schema')).toBe(true);
    expect(renamed.columns.find((c) => c.name === 'created_at')!.subScores.schema).toBe(0.9);
    expect(renamed.schema.renamedCase).toEqual([{ pilot: 'created_at', production: 'Created At' }]);
    const mapped = compareSnapshots(sample(1), sample(2, { renameCreated: 'Created At' }), { asOf: AS_OF, columnMap: { created_at: 'Created At' } });
    expect(mapped.findings.some((f) => f.code === 'COLUMN_RENAMED')).toBe(false);
    expect(mapped.columns.find((c) => c.name === 'created_at')!.matchedBy).toBe('map');
  });
});

describe('compareSnapshots on specific problems', () => {
  const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

  it('compares numbers production reads as codes, and reports the type change', () => {
    const random = createRandom(9);
    const speeds = rows(600, () => String(100 + random.int(200)));
    const pilot = buildDataset([{ name: 'speed', values: speeds, numeric: true, type: 'integer', defaultFormat: 'int' }]);
    // Production multiplied by 100: five-digit integers the profiler reads as codes (no numeric snapshot).
    const production = buildDataset([{ name: 'speed', values: speeds.map((s) => String(Number(s) * 100)), type: 'digit_code', defaultFormat: 'int' }]);
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    expect(has(r, 'NUMERIC_DRIFT', 'speed', 'distribution')).toBe(true);
    expect(has(r, 'TYPE_CHANGED', 'speed', 'schema')).toBe(true);
    // The pilot's sketch has compacted (600 values, k = 200): medians agree within its rank error.
    expect(r.columns[0].numeric!.productionMedian / r.columns[0].numeric!.pilotMedian).toBeGreaterThan(95);
    expect(r.columns[0].numeric!.productionMedian / r.columns[0].numeric!.pilotMedian).toBeLessThan(105);
  });

  it('reports placeholder tokens apart from blank cells', () => {
    const values = rows(500, (i) => CATEGORIES[i % 4]);
    const pilot = buildDataset([{ name: 'status', values }]);
    const production = buildDataset([
      { name: 'status', values: values.slice(0, 350), sentinel: 150, sentinels: [{ token: 'N/A', count: 150, judgedAs: 'null' }] },
    ]);
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    const f = r.findings.find((x) => x.code === 'SENTINEL_RATE_INCREASE')!;
    expect(f.dimension).toBe('completeness');
    expect(f.message).toBe("status: 30% of production values are placeholders for a missing value ('N/A'), against 0% in the pilot.");
    expect(r.findings.some((x) => x.code === 'NULL_RATE_INCREASE')).toBe(false);
  });

  it('blocks when a required column is mostly missing or production has no rows', () => {
    const values = rows(400, (i) => CATEGORIES[i % 4]);
    const pilot = buildDataset([{ name: 'status', values }]);
    const sparse = buildDataset([{ name: 'status', values: values.slice(0, 150), empty: 250 }]);
    const r = compareSnapshots(pilot, sparse, { asOf: AS_OF, requiredColumns: ['status'] });
    expect(r.blockers).toEqual([
      { code: 'REQUIRED_COMPLETENESS_LOW', column: 'status', message: "Fewer than half of production rows have every required column: 'status' is present in only 38% of them." },
    ]);
    const empty = buildDataset([{ name: 'status', values: [] }]);
    const e = compareSnapshots(pilot, empty, { asOf: AS_OF });
    expect(e.blockers.map((b) => b.code)).toContain('PRODUCTION_UNREADABLE');
    expect(e.score).toBeNull();
  });

  it('finds dates after the extraction time and mixed day/month orders', () => {
    const days = rows(500, (i) => new Date(AS_OF.getTime() - (1 + (i % 50)) * DAY).toISOString().slice(0, 10));
    const pilot = buildDataset([{ name: 'created_at', values: days, timestamp: { role: 'event' }, dateOrder: 'dmy', defaultFormat: 'date:DD/MM/YYYY' }]);
    const future = days.map((d, i) => (i % 10 === 0 ? '2031-01-01' : d));
    const production = buildDataset([
      {
        name: 'created_at',
        values: future,
        timestamp: { role: 'event' },
        dateOrder: 'mixed',
        formats: { 'date:DD/MM/YYYY': 450, 'date:MM/DD/YYYY': 50 },
      },
    ]);
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    const f = r.findings.find((x) => x.code === 'FUTURE_TIMESTAMPS')!;
    expect(f.severity).toBe('critical');
    // 10% exactly; the share is read from a compacted sketch (within its 1.33% rank error).
    expect(f.message).toMatch(/^created_at: (9\.\d|10|11)% of production values lie after its extraction time \(latest 2031-01-01\); the pilot had 0%\.$/);
    expect(has(r, 'DATE_ORDER_MIXED', 'created_at', 'format')).toBe(true);
    expect(has(r, 'FORMAT_MIX_DRIFT', 'created_at', 'format')).toBe(true);
    // Future values are errors, not freshness: recency still reads the real newest records.
    expect(r.findings.some((x) => x.code === 'STALE_DATA')).toBe(false);
    expect(r.columns[0].subScores.freshness).toBeLessThan(1);
  });

  it('treats free text and short text of one letter case as one format', () => {
    const pilot = buildDataset([{ name: 'airline', values: rows(600, (i) => (i % 10 === 0 ? 'EXECUTIVE JET AVIATION' : 'AMERICAN AIRLINES')), formats: { 'text:UPPER': 540, 'free_text:UPPER': 60 } }]);
    const production = buildDataset([{ name: 'airline', values: rows(600, (i) => (i % 3 === 0 ? 'EXECUTIVE JET AVIATION' : 'AMERICAN AIRLINES')), formats: { 'text:UPPER': 400, 'free_text:UPPER': 200 } }]);
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    expect(r.findings.filter((f) => f.dimension === 'format')).toEqual([]);
    expect(r.columns[0].format!.tvd).toBe(0);
  });

  it('reports hygiene, encoding and header problems', () => {
    const values = rows(800, (i) => CATEGORIES[i % 4]);
    const pilot = buildDataset([{ name: 'status', values }]);
    const dirty = buildDataset([{ name: 'status', values, hygieneDefectShare: 0.2 }]);
    const production = { ...dirty, decodedAs: 'windows-1252' as const, header: ['status', 'status'] };
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    expect(has(r, 'HYGIENE_DEGRADED', 'status', 'format')).toBe(true);
    expect(r.findings.find((f) => f.code === 'ENCODING_CHANGED')).toMatchObject({ column: null, dimension: 'format', severity: 'warning' });
    expect(r.findings.find((f) => f.code === 'DUPLICATE_HEADER')).toMatchObject({ column: 'status', dimension: 'schema' });
    expect(r.schema.duplicateHeader).toEqual({ pilot: [], production: ['status'] });
    // FCH_Q = 0.8 against 1: f = 0.8 (plus nothing for noise, the pilot being clean).
    expect(r.columns[0].subScores.format).toBeCloseTo(0.8, 10);
  });

  it('calls one category moving 20 points drift even when few categories exist', () => {
    const pilot = buildDataset([{ name: 'sex', values: rows(1000, (i) => (i % 2 === 0 ? 'MALE' : 'FEMALE')) }]);
    const production = buildDataset([{ name: 'sex', values: rows(1000, (i) => (i % 10 < 7 ? 'MALE' : 'FEMALE')) }]);
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    const f = r.findings.find((x) => x.code === 'CATEGORICAL_DRIFT')!;
    expect(f.dimension).toBe('distribution');
    expect(f.message).toMatch(/'(FEMALE' is 30|MALE' is 70)% of production values, 50% of the pilot's/);
    expect(r.columns[0].categorical!.lInfinity).toBeCloseTo(0.2, 12);
  });

  it('never quotes values of sensitive columns in clear', () => {
    const emails = rows(300, (i) => `user${i % 20}@example.com`);
    const pilot = buildDataset([{ name: 'email', values: emails, sensitive: 'email', defaultFormat: 'email:lower' }]);
    const production = buildDataset([
      { name: 'email', values: emails.map((e, i) => (i % 5 === 0 ? `new.person${i}@corp.org` : e)), sensitive: 'email', defaultFormat: 'email:lower' },
    ]);
    const r = compareSnapshots(pilot, production, { asOf: AS_OF });
    const f = r.findings.find((x) => x.code === 'NEW_CATEGORIES')!;
    expect(f.message).toContain("'n***@c***.org'");
    expect(JSON.stringify(r)).not.toMatch(/new\.person|user\d+@/);
  });
});
