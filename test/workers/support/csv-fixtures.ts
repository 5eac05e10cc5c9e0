import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build.js';
import { createUniform as rng } from '../../support/random.js';

/** Options of {@link ordersCsv}. */
export interface OrdersOptions {
  readonly rows: number;
  readonly seed: number;
  /** Share of rows whose `country` is empty. */
  readonly emptyCountryShare?: number;
  /** Leave the `status` column out. */
  readonly withoutStatus?: boolean;
  /** Newest `updated_at`; values spread over the 3 days before it. */
  readonly asOf: Date;
}

/**
 * A small, clean orders table (id, country, amount, status, updated_at) whose defects are chosen
 * by the test: empty countries, or the `status` column missing. What a report must find follows
 * from these choices, not from the code under test.
 */
export function ordersCsv(options: OrdersOptions): string {
  const random = rng(options.seed);
  const countries = ['US', 'DE', 'FR', 'GB'];
  const statuses = ['OPEN', 'CLOSED', 'PENDING'];
  const header = ['id', 'country', 'amount', 'status', 'updated_at'].filter((c) => !(options.withoutStatus && c === 'status'));
  const lines = [header.join(',')];
  for (let i = 0; i < options.rows; i++) {
    const country = random() < (options.emptyCountryShare ?? 0) ? '' : countries[Math.floor(random() * countries.length)];
    const amount = (10 + random() * 990).toFixed(2);
    const status = statuses[Math.floor(random() * statuses.length)];
    const updated = new Date(options.asOf.getTime() - Math.floor(random() * 3 * 86_400_000)).toISOString();
    const row = [String(100_000 + i), country, amount, status, updated].filter((_, j) => !(options.withoutStatus && j === 3));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * The benchmark's messy "enterprise" CSV (quoted fields with embedded newlines, mixed formats)
 * with `rows` rows, generated once per machine by the benchmarks' deterministic generator (bench/gen-csv.mjs).
 */
export function messyCsvFile(rows: number): string {
  const generator = process.env.GEN_CSV ?? join(ROOT, 'bench', 'gen-csv.mjs');
  const dir = join(tmpdir(), 'realitycheck-worker-tests');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `messy-${rows}.csv`);
  if (!existsSync(path)) {
    // Generated aside and renamed into place: test files running in parallel must never read a half-written file.
    const partial = `${path}.${process.pid}.partial`;
    execFileSync(process.execPath, [generator, String(rows), partial]);
    renameSync(partial, path);
  }
  return path;
}
