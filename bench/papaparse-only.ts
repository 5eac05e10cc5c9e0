import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { processFigures } from './process-figures.js';

/**
 * Baseline for `bench:engine`: papaparse streaming a file with no per-cell work.
 * Prints `{ rows, wallSeconds, maxRssMiB, cpuSeconds, systemSeconds, minorFaults }` as JSON.
 */
const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node dist/bench/papaparse-only.js FILE\n');
  process.exit(2);
}
const started = process.hrtime.bigint();
let rows = 0;
let lastEmpty = false;
Papa.parse(createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }), {
  delimiter: ',',
  newline: '\n',
  chunk(results: Papa.ParseResult<string[]>) {
    rows += results.data.length;
    const last = results.data[results.data.length - 1];
    lastEmpty = last !== undefined && last.length === 1 && last[0] === '';
  },
  complete() {
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    // Data rows, as the profiler counts them: the header is a record too, and the file ends with a newline.
    process.stdout.write(JSON.stringify({ rows: rows - 1 - (lastEmpty ? 1 : 0), wallSeconds, ...processFigures() }) + '\n');
  },
});
