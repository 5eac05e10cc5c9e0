/**
 * Prints the throughput of the CSV reader on a big file, next to plain papaparse.
 *
 *   node dist/bench/csv-throughput.js FILE.csv [mode…]
 *
 * Modes (each runs in a fresh child process, so peak memory is its own):
 *   papaparse   read the whole file as a string, then one Papa.parse (the baseline)
 *   cut         readCsvBlocks alone, from the file
 *   cut-memory  readCsvBlocks alone, from the file's bytes already in memory (no I/O)
 *   parse       readCsvBlocks + parseBlock (rows as arrays, per block)
 *   rows        readCsvBlocks + parseBlockRows (a callback per row)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { readCsvBlocks } from '../src/csv/block-cutter.js';
import type { CsvDialect } from '../src/csv/dialect.js';
import { readFileChunks } from '../src/csv/file-source.js';
import { parseBlock, parseBlockRows } from '../src/csv/parse-block.js';

const MODES = ['papaparse', 'cut', 'cut-memory', 'parse', 'rows'] as const;
type Mode = (typeof MODES)[number];

interface Outcome {
  mode: Mode;
  seconds: number;
  rows: number;
  blocks: number;
  peakRssMiB: number;
}

let peakRss = 0;
const samplePeak = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};

async function* inMemory(bytes: Buffer, chunk: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
}

async function run(mode: Mode, path: string): Promise<Outcome> {
  const preloaded = mode === 'cut-memory' ? readFileSync(path) : null;
  samplePeak();
  const started = process.hrtime.bigint();
  let rows = 0;
  let blocks = 0;
  if (mode === 'papaparse') {
    const text = readFileSync(path, 'utf8');
    samplePeak();
    const result = Papa.parse<string[]>(text, { delimiter: ',', newline: '\n', quoteChar: '"', header: false });
    samplePeak();
    rows = result.data.length - 2; // header, and the empty record after the final newline
  } else {
    const source = preloaded === null ? readFileChunks(path) : inMemory(preloaded, 1 << 20);
    let dialect: CsvDialect | undefined;
    for await (const event of readCsvBlocks(source)) {
      if (event.kind === 'dialect') dialect = event.dialect;
      else if (event.kind === 'block') {
        blocks++;
        if (mode === 'parse') rows += parseBlock(event.bytes, dialect!).rows.length;
        else if (mode === 'rows') rows += parseBlockRows(event.bytes, dialect!, () => {}).rowCount;
        samplePeak();
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { mode, seconds, rows, blocks, peakRssMiB: Math.round(peakRss / 2 ** 20) };
}

async function main(): Promise<void> {
  const [path, ...requested] = process.argv.slice(2);
  if (!path) {
    console.error('usage: node dist/bench/csv-throughput.js FILE.csv [papaparse|cut|cut-memory|parse|rows]…');
    process.exit(2);
  }
  if (process.env.CSV_BENCH_CHILD === '1') {
    console.log(JSON.stringify(await run(requested[0] as Mode, path)));
    return;
  }
  const modes = (requested.length > 0 ? requested : MODES) as Mode[];
  const megabytes = statSync(path).size / 1e6;
  console.log(`${path}: ${megabytes.toFixed(1)} MB`);
  for (const mode of modes) {
    const child = spawnSync(process.execPath, ['--max-old-space-size=16384', fileURLToPath(import.meta.url), path, mode], {
      env: { ...process.env, CSV_BENCH_CHILD: '1' },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`${mode} failed: ${child.stderr}`);
    const outcome = JSON.parse(child.stdout) as Outcome;
    console.log(
      `${mode.padEnd(10)} ${outcome.seconds.toFixed(2).padStart(6)} s  ${(megabytes / outcome.seconds).toFixed(0).padStart(5)} MB/s` +
        `  rows ${outcome.rows}  blocks ${outcome.blocks}  peak RSS ${outcome.peakRssMiB} MiB`,
    );
  }
}

await main();
