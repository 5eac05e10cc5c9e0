import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { largeRealFiles, REPOSITORY_ROOT } from './real-files.js';
import { type CaseResult, evaluateFile, evaluateSizes, FULL_PLAN, renderTable, SPLIT_TARGETS } from './split-eval.js';

/**
 * `npm run eval:splits`: how far the score can be trusted on real data nobody here wrote. For every large real
 * file in `fixtures/real/large/`: 20 seeded random 50/50 splits, 5 random 10/90 splits and the whole file against
 * a random 30% sample of its rows must each score ≥ 97 (mean ≥ 99) with no finding at warning or above; the
 * same 50/50 split with defects injected into production must show every defect on its column and dimension,
 * nothing else at warning or above, and score at least 15 points below its control. Then random halves of the
 * 1M-row benchmark file at 1k, 10k, 100k and 500k rows a side must give no finding at warning or above.
 * Prints a table and exits 1 when a target is missed.
 *
 * Options: `--files a,b` (only those files), `--no-sizes` (skip the benchmark file).
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args.includes('--files') ? new Set(args[args.indexOf('--files') + 1].split(',')) : null;
  const results: CaseResult[] = [];
  const files = largeRealFiles().filter((f) => only === null || only.has(f.name) || only.has(f.name.replace(/\.csv$/, '')));
  for (const file of files) {
    const started = Date.now();
    const rows = await evaluateFile(file, FULL_PLAN);
    results.push(...rows);
    process.stderr.write(`${file.name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  if (!args.includes('--no-sizes')) {
    const path = benchmarkFile();
    const started = Date.now();
    results.push(...(await evaluateSizes('bench-1000000.csv', readFileSync(path, 'utf8'))));
    process.stderr.write(`bench-1000000.csv: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(`${renderTable(results)}\n`);
  const failed = results.filter((r) => r.failures.length > 0);
  for (const r of failed) {
    process.stdout.write(`\n${r.file} · ${r.kind}:\n`);
    for (const f of r.failures) process.stdout.write(`  ${f}\n`);
    for (const l of r.loud.slice(0, 10)) process.stdout.write(`    ${l}\n`);
  }
  process.stdout.write(
    `\n${results.length - failed.length} passed, ${failed.length} failed (targets: every clean score ≥ ${SPLIT_TARGETS.minScore}, ` +
      `mean ≥ ${SPLIT_TARGETS.meanScore}, nothing at warning or above; defects found, ≥ ${SPLIT_TARGETS.defectDrop} points below control)\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

/** The 1M-row benchmark file, generated with `bench/gen-csv.mjs` the first time (as `npm run bench:engine` does). */
function benchmarkFile(): string {
  const cache = join(REPOSITORY_ROOT, 'bench', '.cache');
  const path = join(cache, 'bench-1000000.csv');
  if (!existsSync(path)) {
    mkdirSync(cache, { recursive: true });
    process.stderr.write(`generating 1,000,000 rows → ${path}\n`);
    execFileSync(process.execPath, [join(REPOSITORY_ROOT, 'bench', 'gen-csv.mjs'), '1000000', path], { stdio: 'inherit' });
  }
  return path;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`eval:splits failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
