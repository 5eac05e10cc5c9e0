import { stat } from 'node:fs/promises';
import { CsvFormatError } from '../../csv/csv-format-error.js';
import { profileFile } from '../../profiler/profile-file.js';
import { parseArgs, dateOption, numberOption } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { ProgressBar } from '../progress-bar.js';
import { renderProfile } from '../render/render-profile.js';

const HELP = `Usage: realitycheck profile <file.csv> [options]

Profiles a CSV file in one streaming pass: completeness, value classes and formats, types,
distributions, hygiene and freshness of every column.

Options:
  --as-of <ISO-8601>   As-of time for freshness (the sample's extraction time). Default: now.
  --json               Print the profile as JSON on stdout instead of a readable report.
  --block-size <MiB>   Size of the row-aligned blocks profiled in parallel (default 8).
  --threads <n>        Profiling threads (default: 2, or 1 on a single core; 0 = no threads).
  -h, --help           Show this help.

Exit codes: 0 profiled, 1 unreadable input (the reason is printed), 2 wrong usage.`;

/** `realitycheck profile <file>`: the profile report of one CSV file. */
export const profileCommand: Command = {
  summary: 'Profile a CSV file (completeness, formats, types, freshness)',
  help: HELP,
  async run(argv) {
    const args = parseArgs(argv, ['as-of', 'block-size', 'threads'], ['json']);
    if (args.positional.length !== 1) throw new UsageError('expected exactly one file');
    const path = args.positional[0];
    const asOf = dateOption(args, 'as-of') ?? new Date();
    const blockMiB = numberOption(args, 'block-size', 0.001, 1024);
    const threads = numberOption(args, 'threads', 0, 64);

    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a regular file');
      size = info.size;
    } catch (error) {
      process.stderr.write(`realitycheck profile: cannot read '${path}': ${(error as Error).message}\n`);
      return 1;
    }

    const bar = new ProgressBar('profiling', size);
    try {
      const result = await profileFile(path, {
        asOf,
        blockBytes: blockMiB === undefined ? undefined : Math.round(blockMiB * 1024 * 1024),
        threads: threads === undefined ? undefined : Math.floor(threads),
        onProgress: (p) => bar.update(p.bytesRead, `${p.rows.toLocaleString('en-US')} rows`),
      });
      bar.finish();
      process.stdout.write(args.options.has('json') ? JSON.stringify(result.json, null, 2) + '\n' : renderProfile(result.json, path));
      return 0;
    } catch (error) {
      bar.finish();
      if (error instanceof CsvFormatError) {
        process.stderr.write(`realitycheck profile: ${path}: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
