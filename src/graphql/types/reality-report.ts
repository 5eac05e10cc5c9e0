import { findReportsByIds } from '../../db/reality-reports.js';
import { findSamplesByIds } from '../../db/samples.js';
import { findReportStaleness, type ReportStaleness } from '../report-staleness.js';
import { uniqueByFingerprint } from '../../engine/compare/finding-draft.js';
import { builder } from '../builder.js';
import { DatasetRef, RealityReportRef, SampleRef, WorkflowRef } from './node-refs.js';
import { asArray, asNumber, asRecord, asString } from './json-read.js';

/** Dimension sub-scores of a report, read from its document. */
export const ReportDimensionsRef = builder.objectRef<Record<string, unknown>>('ReportDimensions').implement({
  description: 'Sub-scores (0–100) of the data-reality score; null when a dimension is not assessable.',
  fields: (t) => ({
    completeness: t.float({ nullable: true, description: 'Completeness fidelity.', resolve: (d) => asNumber(d.completeness) }),
    format: t.float({ nullable: true, description: 'Format fidelity.', resolve: (d) => asNumber(d.format) }),
    freshness: t.float({ nullable: true, description: 'Freshness fidelity.', resolve: (d) => asNumber(d.freshness) }),
    schema: t.float({ nullable: true, description: 'Schema fidelity.', resolve: (d) => asNumber(d.schema) }),
    distribution: t.float({ nullable: true, description: 'Distribution fidelity.', resolve: (d) => asNumber(d.distribution) }),
  }),
});

/** Points of the score lost in each dimension (they add up to the column's `pointsLost`). */
export const DimensionPointsRef = builder.objectRef<Record<string, unknown>>('DimensionPoints').implement({
  description: 'Points of the 100 lost in each dimension, to two decimals.',
  fields: (t) => ({
    completeness: t.float({ description: 'Points lost to completeness.', resolve: (d) => asNumber(d.completeness) ?? 0 }),
    format: t.float({ description: 'Points lost to format.', resolve: (d) => asNumber(d.format) ?? 0 }),
    freshness: t.float({ description: 'Points lost to freshness.', resolve: (d) => asNumber(d.freshness) ?? 0 }),
    schema: t.float({ description: 'Points lost to schema.', resolve: (d) => asNumber(d.schema) ?? 0 }),
    distribution: t.float({ description: 'Points lost to distribution.', resolve: (d) => asNumber(d.distribution) ?? 0 }),
  }),
});

/** One column of a report: how it was judged and what it cost. */
export const ReportColumnRef = builder.objectRef<Record<string, unknown>>('ReportColumn').implement({
  description: "One pilot column (or a column only production has) in a report: its role, how it matched, and the points it costs.",
  fields: (t) => ({
    name: t.string({ description: 'Pilot column name (production name for columns only production has).', resolve: (c) => asString(c.name) ?? '' }),
    productionName: t.string({ nullable: true, description: 'The production column it was matched with, if any.', resolve: (c) => asString(c.productionName) }),
    status: t.string({ description: 'matched, missing (production lacks it) or extra (only production has it).', resolve: (c) => asString(c.status) ?? 'matched' }),
    role: t.string({
      nullable: true,
      description: 'What the column is for, decided from the pilot profile: identifier, free_text, categorical, numeric or temporal. It decides how the column is judged.',
      resolve: (c) => asString(c.role),
    }),
    roleReason: t.string({ nullable: true, description: 'The figures the role was decided on, in words.', resolve: (c) => asString(c.roleReason) }),
    pointsLost: t.float({ description: 'Points of the 100 this column costs (over all columns they add up to 100 − score).', resolve: (c) => asNumber(c.pointsLost) ?? 0 }),
    pointsLostByDimension: t.field({ type: DimensionPointsRef, description: 'The same points, by dimension.', resolve: (c) => asRecord(c.pointsLostByDimension) }),
  }),
});

/** A blocker entry, normalized from a string or an object. */
export interface BlockerShape {
  code: string;
  message: string;
  column: string | null;
}

/** A condition that blocks go-live whatever the score. */
export const ReportBlockerRef = builder.objectRef<BlockerShape>('ReportBlocker').implement({
  description: 'A condition shown beside the score that blocks go-live (a required column missing, stale data…).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Machine-readable kind of blocker.' }),
    message: t.exposeString('message', { description: 'What is wrong, for a person.' }),
    column: t.exposeString('column', { nullable: true, description: 'The column concerned, if any.' }),
  }),
});

function toBlocker(value: unknown): BlockerShape {
  if (typeof value === 'string') return { code: value, message: value, column: null };
  const record = asRecord(value);
  const code = asString(record.code) ?? 'BLOCKER';
  return { code, message: asString(record.message) ?? code, column: asString(record.column) };
}

/** Number of findings of each severity. */
export interface FindingCounts {
  readonly critical: number;
  readonly warning: number;
  readonly info: number;
}

/** Counts of a report's findings by severity. */
export const FindingCountsRef = builder.objectRef<FindingCounts>('FindingCounts').implement({
  description: 'Number of findings of each severity.',
  fields: (t) => ({
    critical: t.exposeInt('critical', { description: 'Critical findings.' }),
    warning: t.exposeInt('warning', { description: 'Warnings.' }),
    info: t.exposeInt('info', { description: 'Informational findings.' }),
  }),
});

/**
 * Counts the findings of a report document by severity, one per fingerprint as they are stored
 * (findings without a fingerprint count each).
 */
export function countFindings(report: unknown): FindingCounts {
  const findings = asArray(asRecord(report).findings).map((value, index) => {
    const record = asRecord(value);
    return { fingerprint: asString(record.fingerprint) ?? `#${index}`, severity: asString(record.severity) };
  });
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const { severity } of uniqueByFingerprint(findings)) {
    if (severity === 'critical' || severity === 'warning' || severity === 'info') counts[severity] += 1;
  }
  return counts;
}

/** Why a report is out of date. */
export const ReportStalenessRef = builder.objectRef<ReportStaleness>('ReportStaleness').implement({
  description: 'Why a report no longer describes its dataset.',
  fields: (t) => ({
    code: t.exposeString('code', {
      description:
        'PILOT_COLUMNS_DIFFER, BAD_STATE, NO_PILOT, NO_PRODUCTION, REPORT_FAILED, REPORT_TOO_LARGE (no new report could be computed: see Dataset.reportError), ' +
        'REPORT_PENDING (a sample was deactivated, reactivated or deleted; a new report is being computed), SAMPLES_CHANGED (samples ' +
        'were profiled, added or removed since), SUPERSEDED (a newer report exists).',
    }),
    message: t.exposeString('message', { description: 'What changed or failed, for a person.' }),
  }),
});

async function loadStaleness(reportIds: string[], context: { db: Parameters<typeof findReportStaleness>[0] }) {
  const reports = await findReportsByIds(context.db, reportIds);
  const staleness = await findReportStaleness(context.db, reports);
  return reportIds.map((id) => staleness.get(id) ?? null);
}

/** The comparison of a dataset's pilot baseline with production data. */
RealityReportRef.implement({
  description:
    "The comparison of a dataset's PILOT baseline with a PRODUCTION sample: score, sub-scores, blockers. Kept as history.",
  authScopes: (report) => ({ readWorkflow: report.workflow_id }),
  fields: (t) => ({
    score: t.float({ nullable: true, description: 'Data-reality score, 0–100; null when not assessable (e.g. too few rows).', resolve: (r) => r.score }),
    drsVersion: t.string({ nullable: true, description: 'Version of the scoring rules; compare scores only within one version.', resolve: (r) => r.drs_version }),
    dimensions: t.field({
      type: ReportDimensionsRef,
      description: 'Sub-scores by dimension.',
      resolve: (r) => asRecord(asRecord(r.report).dimensions),
    }),
    findingCounts: t.field({
      type: FindingCountsRef,
      description:
        'How many findings this report raised, by severity. Counted from the report itself: an older report keeps its counts, ' +
        'and triage (acknowledging, waiving) does not change them. The findings open now are `dataset.findings(filter: { status: [OPEN] })`.',
      resolve: (r) => countFindings(r.report),
    }),
    columns: t.field({
      type: [ReportColumnRef],
      description: 'Every column compared, in pilot order, then the columns only production has.',
      resolve: (r) => asArray(asRecord(r.report).columns).map(asRecord),
    }),
    blockers: t.field({
      type: [ReportBlockerRef],
      description: 'Conditions that block go-live whatever the score.',
      resolve: (r) => asArray(asRecord(r.report).blockers).map(toBlocker),
    }),
    confidence: t.string({
      nullable: true,
      description: 'How much to trust the score given the sample sizes (e.g. "normal", "low", "insufficient").',
      resolve: (r) => {
        const value = asRecord(r.report).confidence;
        return typeof value === 'string' ? value : asString(asRecord(value).level);
      },
    }),
    dataset: t.field({ type: DatasetRef, description: 'The dataset compared.', resolve: (r) => r.dataset_id }),
    workflow: t.field({ type: WorkflowRef, description: 'The workflow of the dataset.', resolve: (r) => r.workflow_id }),
    productionSample: t.field({
      type: SampleRef,
      nullable: true,
      description: 'The production sample compared (null if it was deleted).',
      resolve: (r) => r.production_sample_id,
    }),
    pilotSamples: t.field({
      type: [SampleRef],
      description: 'The pilot samples merged into the baseline (those that still exist).',
      resolve: async (r, _args, context) => {
        // Pilot ids are a plain array (no foreign key): skip samples deleted since the report.
        const rows = await findSamplesByIds(context.db, r.pilot_sample_ids);
        const byId = new Map(rows.filter((s) => context.access.canRead(s.workflow_id)).map((s) => [s.id, s]));
        return r.pilot_sample_ids.flatMap((id) => byId.get(id) ?? []);
      },
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When the report was computed.', resolve: (r) => r.created_at }),
    stale: t.loadable({
      type: 'Boolean',
      description:
        "Whether this report no longer describes its dataset's samples: a newer report exists or is pending, samples changed since, or no " +
        'new report could be computed (see staleReason and Dataset.reportError).',
      load: async (reportIds: string[], context) => (await loadStaleness(reportIds, context)).map((s) => s !== null),
      resolve: (r) => r.id,
    }),
    staleReason: t.loadable({
      type: ReportStalenessRef,
      nullable: true,
      description: 'Why the report is stale; null when it is not.',
      load: (reportIds: string[], context) => loadStaleness(reportIds, context),
      resolve: (r) => r.id,
    }),
    json: t.field({
      type: 'JSON',
      description: 'The whole report document, as `realitycheck compare --json` prints it.',
      resolve: (r) => r.report ?? null,
    }),
  }),
});
