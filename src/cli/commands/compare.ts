import { stat } from 'node:fs/promises';
import { CsvFormatError } from '../../csv/csv-format-error.js';
import { compareSnapshots } from '../../engine/compare/compare-snapshots.js';
import { DIMENSIONS } from '../../engine/compare/drs-parameters.js';
import type { RealityReport } from '../../engine/compare/reality-report.js';
import { profileFile, type ProfileResult } from '../../profiler/profile-file.js';
import { dateOption, parseArgs, type ParsedArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { printable } from '../render/printable.js';
import { bar, BAR_WIDTH, DIMENSION_NOTES, wrap } from '../render/report-text.js';

const HELP = `Usage: realitycheck compare <pilot.csv> <production.csv> [options]

Profiles both files and scores how faithfully production matches the pilot (the data-reality
score, 0–100): completeness, format, freshness, schema and distribution, with the columns that
lose points and one finding per real problem.

Options:
  --as-of <ISO-8601>          Production's extraction time (freshness is judged against it).
                              Default: the production file's modification time.
  --pilot-as-of <ISO-8601>    The pilot's extraction time. Default: the same as --as-of.
  --column-map a=b,c=d        Pilot column a is called b in production (repeatable pairs).
  --required col,…            Columns the workflow cannot do without (pilot names): weighted 3×,
                              and their absence blocks.
  --json                      Print the report as JSON on stdout.
  -h, --help                  Show this help.

Exit codes: 0 compared, 1 unreadable input (the reason is printed), 2 wrong usage.`;

/** Parses `--column-map pilot=production,…`. */
export function parseColumnMap(value: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) {
      throw new UsageError(`--column-map entry '${part}' is not of the form pilotName=productionName`);
    }
    const pilot = part.slice(0, eq).trim();
    if (Object.prototype.hasOwnProperty.call(map, pilot)) throw new UsageError(`--column-map names pilot column '${pilot}' twice`);
    map[pilot] = part.slice(eq + 1).trim();
  }
  return map;
}

function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.options.get(name);
  if (value === undefined || value === true) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

async function readableFile(path: string): Promise<{ mtime: Date } | string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return 'not a regular file';
    return { mtime: info.mtime };
  } catch (error) {
    return (error as Error).message;
  }
}

/** `realitycheck compare <pilot> <production>`: the data-reality report of a production sample against its pilot. */
export const compareCommand: Command = {
  summary: 'Score how faithfully a production CSV matches its pilot CSV',
  help: HELP,
  async run(argv) {
    const args = parseArgs(argv, ['as-of', 'pilot-as-of', 'column-map', 'required'], ['json']);
    if (args.positional.length !== 2) throw new UsageError('expected two files: <pilot.csv> <production.csv>');
    const [pilotPath, productionPath] = args.positional;
    const columnMapValue = args.options.get('column-map');
    const columnMap = typeof columnMapValue === 'string' ? parseColumnMap(columnMapValue) : {};
    const required = listOption(args, 'required');
    const explicitAsOf = dateOption(args, 'as-of');
    const pilotAsOfOption = dateOption(args, 'pilot-as-of');

    const files: Array<[string, string]> = [
      ['pilot', pilotPath],
      ['production', productionPath],
    ];
    const mtimes: Date[] = [];
    for (const [role, path] of files) {
      const info = await readableFile(path);
      if (typeof info === 'string') {
        process.stderr.write(`realitycheck compare: cannot read the ${role} file '${path}': ${info}\n`);
        return 1;
      }
      mtimes.push(info.mtime);
    }
    const asOf = explicitAsOf ?? mtimes[1];
    const pilotAsOf = pilotAsOfOption ?? asOf;

    const profiles: ProfileResult[] = [];
    for (const [role, path] of files) {
      try {
        profiles.push(await profileFile(path, { asOf: role === 'pilot' ? pilotAsOf : asOf }));
      } catch (error) {
        if (error instanceof CsvFormatError) {
          process.stderr.write(`realitycheck compare: the ${role} file '${path}' cannot be read as CSV: ${error.message}\n`);
          return 1;
        }
        throw error;
      }
    }
    const [pilot, production] = profiles;

    const pilotNames = new Set(pilot.snapshot.columns.map((c) => c.name));
    const productionNames = new Set(production.snapshot.columns.map((c) => c.name));
    for (const [from, to] of Object.entries(columnMap)) {
      if (!pilotNames.has(from)) throw new UsageError(`--column-map: the pilot has no column '${from}'`);
      if (!productionNames.has(to)) throw new UsageError(`--column-map: production has no column '${to}'`);
    }
    for (const name of required) {
      if (!pilotNames.has(name)) throw new UsageError(`--required: the pilot has no column '${name}'`);
    }

    const report = compareSnapshots(pilot.snapshot, production.snapshot, {
      asOf,
      pilotAsOf,
      columnMap,
      requiredColumns: required,
    });
    process.stdout.write(
      args.options.has('json') ? JSON.stringify(report, null, 2) + '\n' : renderRealityReport(report, pilotPath, productionPath),
    );
    return 0;
  },
};

function pct(share: number): string {
  return `${(share * 100).toFixed(share >= 0.995 || share === 0 ? 0 : 1)}%`;
}

/** The report for a person: score and confidence, five sub-score bars, blockers, top losses, findings, readiness. */
export function renderRealityReport(report: RealityReport, pilotPath: string, productionPath: string): string {
  const out: string[] = [];
  out.push(`Pilot       ${pilotPath} (${report.confidence.pilotRows.toLocaleString('en-US')} rows, as of ${report.asOf.pilot})`);
  out.push(`Production  ${productionPath} (${report.confidence.productionRows.toLocaleString('en-US')} rows, as of ${report.asOf.production})`);
  out.push('');
  const blocked = report.blockers.length > 0 ? ' — blocked' : '';
  if (report.score === null) {
    out.push(`Data-reality score  —  insufficient sample (fewer than 100 rows on a side)${blocked}   [${report.drsVersion}]`);
  } else {
    const hw = report.confidence.halfWidth === null ? '' : ` ±${report.confidence.halfWidth.toFixed(1)}`;
    const low = report.confidence.level === 'low' ? ', LOW CONFIDENCE (fewer than 385 rows)' : '';
    out.push(`Data-reality score  ${report.score.toFixed(1)} / 100${hw}${low}${blocked}   [${report.drsVersion}]`);
  }
  out.push('');
  for (const d of DIMENSIONS) {
    const v = report.dimensions[d];
    const label = d.padEnd(13);
    if (v === null) out.push(`  ${label} ${'·'.repeat(BAR_WIDTH)}   —  not assessed: ${DIMENSION_NOTES[d]}`);
    else out.push(`  ${label} ${bar(v)} ${v.toFixed(0).padStart(4)}   (weight ${(report.weights[d] * 100).toFixed(0)}%)`);
  }

  if (report.blockers.length > 0) {
    out.push('', 'Blockers');
    for (const b of report.blockers) out.push(`  ✖ ${b.code}: ${wrap(b.message, 90, '    ')}`);
  }

  if (report.topLosses.length > 0) {
    out.push('', 'Top points lost');
    for (const l of report.topLosses) {
      out.push(`  −${l.points.toFixed(1).padStart(4)}  ${l.column} · ${l.dimension}`);
      out.push(`         ${wrap(l.reason, 88, '         ')}`);
    }
  }

  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  out.push('', `Findings (${counts.critical} critical, ${counts.warning} warning, ${counts.info} info)`);
  if (report.findings.length === 0) out.push('  none');
  for (const f of report.findings) {
    out.push(`  ${f.severity.toUpperCase().padEnd(8)} ${f.code} · ${f.dimension}${f.column === null ? '' : ` · ${f.column}`}`);
    out.push(`           ${wrap(f.message, 86, '           ')}`);
  }

  const r = report.readiness;
  out.push('', 'Readiness of each sample (absolute)      pilot   production    gap');
  const row = (label: string, p: string, q: string, gap: string) => out.push(`  ${label.padEnd(36)} ${p.padStart(7)} ${q.padStart(12)} ${gap.padStart(8)}`);
  row('completeness', pct(r.pilot.completeness), pct(r.production.completeness), `${r.gap.completeness.toFixed(1)} pts`);
  row('format consistency', pct(r.pilot.formatConsistency), pct(r.production.formatConsistency), `${r.gap.formatConsistency.toFixed(1)} pts`);
  row('rows with every cell present', pct(r.pilot.completeRows), pct(r.production.completeRows), `${r.gap.completeRows.toFixed(1)} pts`);
  if (r.pilot.freshness && r.production.freshness) {
    row(`freshness (${report.freshnessColumn})`, r.pilot.freshness.status, r.production.freshness.status, '');
  }
  if (report.schema.extra.length > 0) out.push('', `Columns only production has (not scored): ${report.schema.extra.join(', ')}`);
  // Column names and example values come from the files: no control character reaches the terminal raw.
  return printable(out.join('\n')) + '\n';
}
