import Papa from 'papaparse';
import { compareSnapshots } from '../src/engine/compare/compare-snapshots.js';
import { DIMENSIONS } from '../src/engine/compare/drs-parameters.js';
import type { Finding, RealityReport } from '../src/engine/compare/reality-report.js';
import { profileBytes } from '../src/profiler/profile-file.js';
import { createRandom } from '../test/support/random.js';
import { splitAndInject, type SplitOptions, type SplitResult } from '../test/support/split-and-inject.js';
import { unsupportedFigures } from './message-figures.js';
import type { RealFile } from './real-files.js';

/** As-of time of every sample of the evaluation, so that freshness is the same on every run. */
export const EVAL_AS_OF = new Date('2025-01-01T00:00:00Z');

/** Targets of `npm run eval:splits` (issue: "A score you can trust on real data"). */
export const SPLIT_TARGETS = {
  /** Every clean split scores at least this… */
  minScore: 97,
  /** …and their mean at least this. */
  meanScore: 99,
  /** A defects case scores at least this many points below its clean control. */
  defectDrop: 15,
} as const;

/** Which splits of each file are evaluated. */
export interface SplitPlan {
  /** Seeds of the 50/50 splits. */
  readonly halves: readonly number[];
  /** Seeds of the 10/90 splits. */
  readonly tenNinety: readonly number[];
  /** Seeds of the whole-file-against-a-30%-sample cases. */
  readonly sample30: readonly number[];
  /** Seed of the defects case (and of its clean control, a 50/50 split). */
  readonly defectsSeed: number | null;
}

export const FULL_PLAN: SplitPlan = {
  halves: Array.from({ length: 20 }, (_, i) => i + 1),
  tenNinety: [101, 102, 103, 104, 105],
  sample30: [201],
  defectsSeed: 1,
};

/** One line of the table: a file and a kind of split, over its runs. */
export interface CaseResult {
  readonly file: string;
  readonly kind: string;
  readonly runs: number;
  readonly scores: readonly number[];
  /** Findings at warning or above that a clean split should not have (`CODE column: message`). */
  readonly loud: readonly string[];
  /** Defects cases: defects not found on their column and dimension, and the drop below the control. */
  readonly missedDefects?: readonly string[];
  readonly drop?: number;
  readonly failures: readonly string[];
}

/** Profiles both sides of a split and compares them. */
export async function compareCsv(pilotCsv: string, productionCsv: string, threads = 0): Promise<RealityReport> {
  const encoder = new TextEncoder();
  const pilot = await profileBytes(encoder.encode(pilotCsv), { asOf: EVAL_AS_OF, threads });
  const production = await profileBytes(encoder.encode(productionCsv), { asOf: EVAL_AS_OF, threads });
  return compareSnapshots(pilot.snapshot, production.snapshot, { asOf: EVAL_AS_OF });
}

const loudOnes = (report: RealityReport): Finding[] => report.findings.filter((f) => f.severity !== 'info');
const describe = (f: Finding): string => `${f.severity} ${f.code} ${f.column ?? '-'}: ${f.message}`;

/**
 * Checks that hold for every report: points lost add up to 100 − score, per column over its dimensions, and
 * every figure a message quotes comes from its evidence.
 */
export function additivityProblems(report: RealityReport): string[] {
  const problems: string[] = [];
  for (const f of report.findings) {
    const figures = unsupportedFigures(f);
    if (figures.length > 0) problems.push(`${f.code} ${f.column ?? '-'}: message figures not in its evidence: ${figures.join(', ')} ("${f.message}")`);
  }
  if (report.score === null) return problems;
  const hundredths = (x: number) => Math.round(x * 100);
  const lost = report.columns.reduce((s, c) => s + hundredths(c.pointsLost), 0);
  if (lost !== hundredths(100 - report.score)) problems.push(`points lost add up to ${lost / 100}, not 100 − ${report.score}`);
  for (const c of report.columns) {
    const sum = DIMENSIONS.reduce((s, d) => s + hundredths(c.pointsLostByDimension[d]), 0);
    if (sum !== hundredths(c.pointsLost)) problems.push(`${c.name}: dimensions add up to ${sum / 100}, not ${c.pointsLost}`);
  }
  return problems;
}

async function cleanCases(file: RealFile, kind: string, seeds: readonly number[], options: Omit<SplitOptions, 'seed'>): Promise<CaseResult> {
  const scores: number[] = [];
  const loud: string[] = [];
  const failures: string[] = [];
  for (const seed of seeds) {
    const split = splitAndInject(file.text, { ...options, seed });
    const report = await compareCsv(split.pilotCsv, split.productionCsv);
    if (report.score === null) failures.push(`seed ${seed}: no score (${report.confidence.level})`);
    else scores.push(report.score);
    loud.push(...loudOnes(report).map((f) => `seed ${seed}: ${describe(f)}`));
    failures.push(...additivityProblems(report).map((p) => `seed ${seed}: ${p}`));
  }
  if (scores.some((s) => s < SPLIT_TARGETS.minScore)) failures.push(`a score below ${SPLIT_TARGETS.minScore}`);
  if (scores.length > 0 && mean(scores) < SPLIT_TARGETS.meanScore) failures.push(`mean score below ${SPLIT_TARGETS.meanScore}`);
  if (loud.length > 0) failures.push(`${loud.length} finding(s) at warning or above`);
  return { file: file.name, kind, runs: seeds.length, scores, loud, failures };
}

/**
 * The defects case of a file: the clean 50/50 split of `seed` as control, and the same split with defects
 * injected into production (one column per defect kind that fits the file). Every defect must be found on its
 * column and dimension at warning or above, nothing else may be at warning or above, and the score must drop
 * by at least 15 points.
 */
export async function defectsCase(file: RealFile, seed: number): Promise<CaseResult & { split: SplitResult }> {
  const control = await compareCsv(...pair(splitAndInject(file.text, { seed })));
  const split = splitAndInject(file.text, { seed, inject: true });
  const report = await compareCsv(split.pilotCsv, split.productionCsv);
  const failures: string[] = [];
  const missed = split.defects
    .filter((d) => !report.findings.some((f) => f.column === d.column && f.dimension === d.dimension && f.severity !== 'info'))
    .map((d) => `${d.kind} on ${d.column} (${d.dimension})`);
  const explained = (f: Finding) => split.defects.some((d) => d.column === f.column);
  const loud = loudOnes(report).filter((f) => !explained(f)).map(describe);
  const drop = control.score !== null && report.score !== null ? control.score - report.score : NaN;
  if (split.defects.length === 0) failures.push('no defect fits this file');
  if (missed.length > 0) failures.push(`missed: ${missed.join('; ')}`);
  if (loud.length > 0) failures.push(`${loud.length} finding(s) at warning or above on undamaged columns`);
  if (!(drop >= SPLIT_TARGETS.defectDrop)) failures.push(`score dropped ${drop.toFixed(2)} points, less than ${SPLIT_TARGETS.defectDrop}`);
  failures.push(...additivityProblems(report));
  return {
    file: file.name,
    kind: `defects (${split.defects.map((d) => d.kind).join(', ')})`,
    runs: 1,
    scores: report.score === null ? [] : [report.score],
    loud,
    missedDefects: missed,
    drop,
    failures,
    split,
  };
}

function pair(split: SplitResult): [string, string] {
  return [split.pilotCsv, split.productionCsv];
}

/** Every case of one file under `plan`. */
export async function evaluateFile(file: RealFile, plan: SplitPlan = FULL_PLAN): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  if (plan.halves.length > 0) out.push(await cleanCases(file, 'split 50/50', plan.halves, { pilotShare: 0.5 }));
  if (plan.tenNinety.length > 0) out.push(await cleanCases(file, 'split 10/90', plan.tenNinety, { pilotShare: 0.1 }));
  if (plan.sample30.length > 0) out.push(await cleanCases(file, 'whole vs 30%', plan.sample30, { mode: 'sample', productionShare: 0.3 }));
  if (plan.defectsSeed !== null) {
    const { split: _split, ...result } = await defectsCase(file, plan.defectsSeed);
    out.push(result);
  }
  return out;
}

/** Draws of the size check: `size` rows a side, disjoint, at random from one file. */
export interface SizeDraw {
  readonly size: number;
  readonly seed: number;
}

export const SIZE_DRAWS: readonly SizeDraw[] = [
  { size: 1_000, seed: 1 },
  { size: 1_000, seed: 2 },
  { size: 1_000, seed: 3 },
  { size: 10_000, seed: 1 },
  { size: 10_000, seed: 2 },
  { size: 100_000, seed: 1 },
  { size: 500_000, seed: 1 },
];

/**
 * Random disjoint halves of a large CSV at several sizes a side, read in one streaming pass (the records are
 * re-written with papaparse, so quoting stays valid). Returns the pilot and production texts of each draw.
 */
export function drawSizes(text: string, draws: readonly SizeDraw[]): Array<SizeDraw & { pilotCsv: string; productionCsv: string }> {
  let total = 0;
  Papa.parse<string[]>(text, { step: () => void total++ });
  const records = total - 1;
  // side[d][i]: 1 pilot, 2 production, 0 neither, for draw d and record i.
  const sides = draws.map(({ size, seed }) => {
    if (2 * size > records) throw new RangeError(`a draw of ${size} rows a side needs ${2 * size} records; the file has ${records}`);
    const random = createRandom(seed);
    const order = Int32Array.from({ length: records }, (_, i) => i);
    for (let i = 0; i < 2 * size; i++) {
      const j = i + random.int(records - i);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    const side = new Uint8Array(records);
    for (let i = 0; i < 2 * size; i++) side[order[i]] = i < size ? 1 : 2;
    return side;
  });
  const lines = draws.map(() => ({ pilot: [] as string[], production: [] as string[] }));
  let header = '';
  let index = -1;
  Papa.parse<string[]>(text, {
    step: (result) => {
      const line = Papa.unparse([result.data], { newline: '\n' });
      if (index < 0) header = line;
      else {
        for (let d = 0; d < draws.length; d++) {
          const side = sides[d][index];
          if (side === 1) lines[d].pilot.push(line);
          else if (side === 2) lines[d].production.push(line);
        }
      }
      index++;
    },
  });
  return draws.map((draw, d) => ({
    ...draw,
    pilotCsv: [header, ...lines[d].pilot].join('\n') + '\n',
    productionCsv: [header, ...lines[d].production].join('\n') + '\n',
  }));
}

/** The size check of a large file: no finding at warning or above at any size. */
export async function evaluateSizes(name: string, text: string, draws: readonly SizeDraw[] = SIZE_DRAWS): Promise<CaseResult[]> {
  const bySize = new Map<number, CaseResult & { scores: number[]; loud: string[]; failures: string[] }>();
  for (const draw of drawSizes(text, draws)) {
    const report = await compareCsv(draw.pilotCsv, draw.productionCsv, draw.size >= 100_000 ? 2 : 0);
    let entry = bySize.get(draw.size);
    if (!entry) {
      entry = { file: name, kind: `${draw.size.toLocaleString('en-US')} rows a side`, runs: 0, scores: [], loud: [], failures: [] };
      bySize.set(draw.size, entry);
    }
    (entry as { runs: number }).runs++;
    if (report.score !== null) entry.scores.push(report.score);
    const loud = loudOnes(report).map((f) => `seed ${draw.seed}: ${describe(f)}`);
    entry.loud.push(...loud);
    if (loud.length > 0) entry.failures.push(`seed ${draw.seed}: ${loud.length} finding(s) at warning or above`);
    entry.failures.push(...additivityProblems(report).map((p) => `seed ${draw.seed}: ${p}`));
  }
  return [...bySize.values()];
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The table `npm run eval:splits` prints. */
export function renderTable(results: readonly CaseResult[]): string {
  const header = ['file', 'kind', 'runs', 'min', 'mean', 'loud', 'drop', 'result'];
  const rows = results.map((r) => [
    r.file,
    r.kind.length > 60 ? `${r.kind.slice(0, 59)}…` : r.kind,
    String(r.runs),
    r.scores.length ? Math.min(...r.scores).toFixed(2) : '-',
    r.scores.length ? mean(r.scores).toFixed(2) : '-',
    String(r.loud.length),
    r.drop === undefined ? '' : Number.isNaN(r.drop) ? '-' : r.drop.toFixed(2),
    r.failures.length === 0 ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
