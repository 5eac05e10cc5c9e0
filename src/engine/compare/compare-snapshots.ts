import { DEFAULT_FRESHNESS_SLA, type FreshnessSla } from '../profile/freshness.js';
import type { ColumnSnapshot, DatasetSnapshot } from '../model/snapshot.js';
import { computeBlockers } from './blockers.js';
import { columnKind, compareColumn, type ColumnWork } from './compare-column.js';
import { headerDuplicates, matchColumns } from './column-matching.js';
import { datasetFindings } from './dataset-findings.js';
import { DIMENSION_COMPARATORS } from './dimension-comparator.js';
import { DIMENSION_WEIGHTS, DIMENSIONS, DRS_VERSION, type Dimension, dimensionRecord, MIN_ROWS, NORMAL_ROWS } from './drs-parameters.js';
import { compareFindings, toFinding } from './finding-draft.js';
import { percent } from './message-format.js';
import { computeReadiness } from './readiness.js';
import type { ColumnComparison, Confidence, DimensionRecord, Finding, RealityReport, SchemaDiff } from './reality-report.js';
import { computeScore, roundBreakdown, type ScoredColumn } from './score.js';

/** Options of {@link compareSnapshots}. */
export interface CompareOptions {
  /** Production's extraction time (its freshness is judged against it). */
  readonly asOf: Date;
  /** The pilot's extraction time; defaults to `asOf`. */
  readonly pilotAsOf?: Date;
  /** Pilot column name → production column name, for sources that name columns differently. */
  readonly columnMap?: Readonly<Record<string, string>>;
  /** Pilot (or mapped production) names of the columns the workflow cannot do without (importance 3, blockers). */
  readonly requiredColumns?: readonly string[];
  readonly freshness?: FreshnessSla;
  /** Column importance a_j by pilot name (0 ignores a column); overrides the required/default importance. */
  readonly importance?: Readonly<Record<string, number>>;
}

function epochSeconds(date: Date, what: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`compareSnapshots: ${what} is not a valid date`);
  return ms / 1000;
}

/**
 * Compares a production sample with its pilot from their finalized profiles alone (so it works on merged
 * baselines): schema, per-column completeness, format, distribution and freshness, the data-reality score
 * with its per-column breakdown, findings, blockers and confidence (METRICS §4–5).
 *
 * @example
 * const report = compareSnapshots(pilot.snapshot, production.snapshot, { asOf: new Date('2024-05-01T00:00:00Z') });
 * report.score; // e.g. 72.4
 */
export function compareSnapshots(pilot: DatasetSnapshot, production: DatasetSnapshot, options: CompareOptions): RealityReport {
  const productionAsOf = epochSeconds(options.asOf, 'asOf');
  const pilotAsOf = options.pilotAsOf ? epochSeconds(options.pilotAsOf, 'pilotAsOf') : productionAsOf;
  const sla = options.freshness ?? DEFAULT_FRESHNESS_SLA;
  const columnMap = options.columnMap ?? {};
  const matching = matchColumns(
    pilot.columns.map((c) => c.name),
    production.columns.map((c) => c.name),
    columnMap,
  );
  const pilotByName = new Map(pilot.columns.map((c) => [c.name, c]));
  const productionByName = new Map(production.columns.map((c) => [c.name, c]));
  const requiredNames = new Set(options.requiredColumns ?? []);
  const isRequired = (pilotName: string, productionName: string | null) =>
    requiredNames.has(pilotName) || (productionName !== null && requiredNames.has(productionName));

  const freshnessColumn = chooseFreshnessColumn(pilot, production, matching.pairs);

  const work: ColumnWork[] = matching.pairs.map((pair) =>
    compareColumn(pair, {
      pilot: pilotByName.get(pair.pilot) as ColumnSnapshot,
      production: pair.production === null ? null : (productionByName.get(pair.production) as ColumnSnapshot),
      required: isRequired(pair.pilot, pair.production),
      importance: options.importance?.[pair.pilot],
      mappedTo: columnMap[pair.pilot],
      freshnessColumn,
      pilotAsOf,
      productionAsOf,
      sla,
      comparators: DIMENSION_COMPARATORS,
    }),
  );

  const confidenceLevel: Confidence['level'] =
    Math.min(pilot.rows, production.rows) < MIN_ROWS ? 'insufficient' : Math.min(pilot.rows, production.rows) < NORMAL_ROWS ? 'low' : 'normal';
  const scored = roundBreakdown(
    computeScore(
      work.map((w): ScoredColumn => ({ name: w.name, importance: w.importance, credits: w.credits, halfWidths: w.halfWidths })),
      DIMENSION_WEIGHTS,
    ),
  );
  const insufficient = confidenceLevel === 'insufficient';

  const datasetDrafts = datasetFindings(pilot, production, matching.extra);
  const findings: Finding[] = [
    ...work.flatMap((w) => w.drafts.map((d) => toFinding(d, w.name))),
    ...datasetDrafts.map(({ draft, column }) => toFinding(draft, column)),
  ];
  const lossOf = (f: Finding) => {
    const i = work.findIndex((w) => w.name === f.column);
    return i < 0 || insufficient ? 0 : scored.columns[i].pointsLostByDimension[f.dimension];
  };
  findings.sort((a, b) => compareFindings(a, b, lossOf));

  const zero: DimensionRecord<number> = dimensionRecord(() => 0);
  const columns: ColumnComparison[] = work.map((w, i) => ({
    name: w.name,
    productionName: w.production?.name ?? null,
    matchedBy: w.matchedBy,
    status: w.production ? 'matched' : 'missing',
    kind: w.kind,
    role: w.pilot.role,
    roleReason: w.pilot.roleReason,
    importance: w.importance,
    required: w.required,
    completeness: w.completeness?.evidence ?? null,
    format: w.format?.evidence ?? null,
    numeric: w.numeric?.evidence ?? null,
    categorical: w.categorical?.drift ?? null,
    newCategories: w.categorical?.newCategories ?? null,
    identifier: w.identifier?.evidence ?? null,
    lengths: w.text?.evidence ?? null,
    freshness: w.freshness?.evidence ?? null,
    subScores: w.credits,
    pointsLost: insufficient ? 0 : scored.columns[i].pointsLost,
    pointsLostByDimension: insufficient ? zero : scored.columns[i].pointsLostByDimension,
  }));
  for (const name of matching.extra) {
    const q = productionByName.get(name) as ColumnSnapshot;
    columns.push({
      name,
      productionName: name,
      matchedBy: null,
      status: 'extra',
      kind: columnKind(q),
      role: q.role,
      roleReason: q.roleReason,
      importance: 0,
      required: false,
      completeness: null,
      format: null,
      numeric: null,
      categorical: null,
      newCategories: null,
      identifier: null,
      lengths: null,
      freshness: null,
      subScores: dimensionRecord(() => null),
      pointsLost: 0,
      pointsLostByDimension: zero,
    });
  }

  const schema: SchemaDiff = {
    missing: work.filter((w) => w.production === null).map((w) => w.name),
    extra: matching.extra,
    renamedCase: work.filter((w) => w.matchedBy === 'normalized').map((w) => ({ pilot: w.name, production: w.production!.name })),
    typeChanged: work.filter((w) => w.format?.typeChanged).map((w) => ({ column: w.name, pilot: w.pilot.type, production: w.production!.type })),
    formatChanged: work
      .filter((w) => w.format?.formatChanged)
      .map((w) => ({ column: w.name, pilot: w.pilot.dominantFormat ?? '', production: w.production!.dominantFormat ?? '' })),
    duplicateHeader: { pilot: headerDuplicates(pilot), production: headerDuplicates(production) },
    unusedMappings: matching.unusedMappings,
  };

  const freshWork = work.find((w) => w.name === freshnessColumn && w.freshness !== null);
  const readiness = computeReadiness(work, pilot, production, freshWork?.freshness ?? null);
  const blockers = computeBlockers(work, production, freshWork?.freshness ?? null, freshnessColumn);

  const topLosses = insufficient
    ? []
    : work
        .flatMap((w, i) =>
          DIMENSIONS.map((dimension) => ({ column: w.name, dimension, points: scored.columns[i].pointsLostByDimension[dimension], work: w })),
        )
        .filter((l) => l.points > 0)
        .sort((a, b) => b.points - a.points)
        .slice(0, 10)
        .map((l) => ({ column: l.column, dimension: l.dimension, points: l.points, reason: lossReason(l.work, l.dimension, findings) }));

  const dimensionsOut: DimensionRecord<number | null> = insufficient
    ? dimensionRecord(() => null)
    : scored.dimensions;
  return {
    score: insufficient ? null : scored.score,
    dimensions: dimensionsOut,
    weights: scored.weights,
    columns,
    findings,
    blockers,
    confidence: {
      level: confidenceLevel,
      halfWidth: insufficient ? null : scored.halfWidth,
      pilotRows: pilot.rows,
      productionRows: production.rows,
    },
    drsVersion: DRS_VERSION,
    readiness,
    schema,
    topLosses,
    asOf: { pilot: new Date(pilotAsOf * 1000).toISOString(), production: new Date(productionAsOf * 1000).toISOString() },
    freshnessColumn: freshWork ? freshnessColumn : null,
  };
}

/**
 * The column that drives the freshness dimension: the pilot's choice if production has it, else
 * production's choice if the pilot has it. Null when neither sample has one both share.
 */
function chooseFreshnessColumn(
  pilot: DatasetSnapshot,
  production: DatasetSnapshot,
  pairs: ReadonlyArray<{ pilot: string; production: string | null }>,
): string | null {
  if (pilot.freshnessColumn !== null) {
    const pair = pairs.find((p) => p.pilot === pilot.freshnessColumn);
    if (pair?.production) return pair.pilot;
  }
  if (production.freshnessColumn !== null) {
    const pair = pairs.find((p) => p.production === production.freshnessColumn);
    if (pair) return pair.pilot;
  }
  return null;
}

function lossReason(w: ColumnWork, dimension: Dimension, findings: readonly Finding[]): string {
  const finding = findings.find((f) => f.column === w.name && f.dimension === dimension);
  if (finding) return finding.message;
  switch (dimension) {
    case 'completeness':
      return w.production === null ? 'column missing' : `${percent(w.production.completeness)} present vs ${percent(w.pilot.completeness)} in the pilot`;
    case 'format':
      return w.format ? `format mix moved ${percent(w.format.tvdAdjusted)} beyond noise; format consistency ${percent(w.format.evidence.productionFormatHygiene)} vs ${percent(w.format.evidence.pilotFormatHygiene)}` : 'format';
    case 'schema':
      return w.production === null ? 'column missing' : w.matchedBy === 'normalized' ? 'renamed' : 'type or format changed';
    default:
      return `${dimension} below the pilot's`;
  }
}

