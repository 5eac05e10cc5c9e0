import { profileFile } from '../src/profiler/profile-file.js';
import { processFigures } from './process-figures.js';

/**
 * The profiler side of `bench:engine`: `realitycheck profile`'s code path on a file, in its own
 * process. Prints `{ rows, wallSeconds, maxRssMiB, cpuSeconds, systemSeconds, minorFaults }` as JSON
 * (the figures cover the worker threads).
 */
const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node dist/bench/profile-only.js FILE [THREADS]\n');
  process.exit(2);
}
const threads = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const started = process.hrtime.bigint();
const result = await profileFile(path, { threads });
const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
// Rendering the JSON is part of the command's work.
JSON.stringify(result.json);
process.stdout.write(JSON.stringify({ rows: result.json.rows, wallSeconds, ...processFigures() }) + '\n');
