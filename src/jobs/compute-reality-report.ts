import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DatasetContract } from '../db/database.js';
import { compareSnapshots } from '../engine/compare/compare-snapshots.js';
import { DRS_VERSION } from '../engine/compare/drs-parameters.js';
import { uniqueByFingerprint } from '../engine/compare/finding-draft.js';
import type { Finding } from '../engine/compare/reality-report.js';
import { DatasetState, type DatasetStateJson } from '../engine/profile/dataset-state.js';
import { finalizeDataset } from '../engine/profile/finalize.js';
import { ProfileStateError } from '../engine/profile/profile-state-error.js';
import { BadInputError } from './bad-input-error.js';
import { finalizeOptions, freshnessSla, readDialect } from './profile-settings.js';

/** What {@link computeRealityReport} did. */
export type ReportOutcome =
  | {
      readonly kind: 'reported';
      readonly reportId: string;
      readonly score: number | null;
      /** Findings of the report (each upserted). */
      readonly findings: number;
      /** Findings of earlier reports that this one no longer shows, now RESOLVED. */
      readonly resolved: number;
      readonly workflowScore: number | null;
    }
  /** The newest report already compares the same samples under the same scoring rules. */
  | { readonly kind: 'unchanged'; readonly reportId: string }
  | { readonly kind: 'skipped'; readonly reason: string };

interface ProfiledSample {
  readonly id: string;
  readonly extracted_at: Date;
  readonly dialect: unknown;
}

/**
 * Recomputes the reality report of a dataset: the PILOT baseline (the merged states of its
 * active, profiled PILOT samples) against its newest active, profiled PRODUCTION sample (by
 * extraction time). In one transaction, serialized per dataset by an advisory lock: stores the
 * report, upserts its findings by (dataset, fingerprint) — a finding that persists keeps its id,
 * status and assignee and takes the new figures; a RESOLVED one that comes back is OPEN again —
 * marks the dataset's findings the report no longer shows RESOLVED, and recomputes the
 * workflow's score as the weighted mean (dataset weights) of its datasets' latest scores.
 *
 * Idempotent: when the newest report already compares the same samples under the same
 * `drsVersion`, nothing is written, so a repeated job does not add a duplicate to the history.
 *
 * @throws BadInputError when the pilot samples cannot be merged (different columns).
 */
export async function computeRealityReport(db: Kysely<Database>, datasetId: string): Promise<ReportOutcome> {
  return db.transaction().execute(async (trx) => {
    await advisoryLock(trx, `realitycheck.report:${datasetId}`);
    const dataset = await trx
      .selectFrom('datasets as d')
      .innerJoin('workflows as w', 'w.id', 'd.workflow_id')
      .select(['d.id', 'd.workflow_id', 'd.contract', 'w.freshness_warn_after', 'w.freshness_error_after'])
      .where('d.id', '=', datasetId)
      .executeTakeFirst();
    if (!dataset) return { kind: 'skipped', reason: 'the dataset no longer exists' };

    const profiled = trx
      .selectFrom('samples as s')
      .innerJoin('profiles as p', 'p.sample_id', 's.id')
      .select(['s.id', 's.extracted_at', 's.dialect'])
      .where('s.dataset_id', '=', datasetId)
      .where('s.active', '=', true)
      .where('s.status', '=', 'PROFILED');
    const pilots: ProfiledSample[] = await profiled
      .where('s.role', '=', 'PILOT')
      .orderBy('s.extracted_at')
      .orderBy('s.created_at')
      .orderBy('s.id')
      .execute();
    const production: ProfiledSample | undefined = await profiled
      .where('s.role', '=', 'PRODUCTION')
      .orderBy('s.extracted_at', 'desc')
      .orderBy('s.created_at', 'desc')
      .orderBy('s.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (pilots.length === 0 || !production) {
      return { kind: 'skipped', reason: 'a report needs at least one profiled PILOT and one profiled PRODUCTION sample' };
    }

    const pilotIds = pilots.map((p) => p.id);
    const latest = await trx
      .selectFrom('reality_reports')
      .select(['id', 'production_sample_id', 'pilot_sample_ids', 'drs_version'])
      .where('dataset_id', '=', datasetId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (
      latest &&
      latest.production_sample_id === production.id &&
      latest.drs_version === DRS_VERSION &&
      sameMembers(latest.pilot_sample_ids, pilotIds)
    ) {
      return { kind: 'unchanged', reportId: latest.id };
    }

    const contract: DatasetContract = dataset.contract ?? {};
    const sla = freshnessSla({ freshnessWarnAfter: dataset.freshness_warn_after, freshnessErrorAfter: dataset.freshness_error_after });
    const baseline = await mergePilotStates(trx, pilots);
    const pilotSnapshot = finalizeDataset(baseline, finalizeOptions('PILOT', contract, readDialect(pilots[0].dialect, pilots[0].id)));
    const productionState = await readProfileState(trx, production.id);
    const productionSnapshot = finalizeDataset(
      productionState,
      finalizeOptions('PRODUCTION', contract, readDialect(production.dialect, production.id)),
    );
    const report = compareSnapshots(pilotSnapshot, productionSnapshot, {
      asOf: production.extracted_at,
      pilotAsOf: new Date(Math.max(...pilots.map((p) => p.extracted_at.getTime()))),
      columnMap: contract.columnMap,
      requiredColumns: contract.requiredColumns,
      freshness: sla,
    });

    // Stamped after the lock is held (not the transaction's start), so the newest report is the last computed one.
    const createdAt = new Date();
    const stored = await trx
      .insertInto('reality_reports')
      .values({
        workflow_id: dataset.workflow_id,
        dataset_id: datasetId,
        production_sample_id: production.id,
        pilot_sample_ids: pilotIds,
        score: report.score,
        drs_version: report.drsVersion,
        report: JSON.stringify(report),
        created_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const findings = uniqueByFingerprint(report.findings);
    await upsertFindings(trx, dataset.workflow_id, datasetId, stored.id, findings, createdAt);
    const resolved = await resolveVanishedFindings(trx, datasetId, findings, createdAt);
    const workflowScore = await updateWorkflowScore(trx, dataset.workflow_id, createdAt);
    return { kind: 'reported', reportId: stored.id, score: report.score, findings: findings.length, resolved, workflowScore };
  });
}

async function advisoryLock(trx: Transaction<Database>, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

async function readProfileState(trx: Transaction<Database>, sampleId: string): Promise<DatasetState> {
  const row = await trx.selectFrom('profiles').select('state').where('sample_id', '=', sampleId).executeTakeFirstOrThrow();
  try {
    return DatasetState.fromJSON(row.state as DatasetStateJson);
  } catch (error) {
    if (error instanceof ProfileStateError) {
      throw new BadInputError('BAD_STATE', `the stored profile state of sample ${sampleId} cannot be read (${error.message}); upload it again`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** The pilot baseline: the states of the pilot samples merged in a fixed order (one state in memory at a time). */
async function mergePilotStates(trx: Transaction<Database>, pilots: readonly ProfiledSample[]): Promise<DatasetState> {
  let merged: DatasetState | null = null;
  for (const pilot of pilots) {
    const state = await readProfileState(trx, pilot.id);
    if (!merged) {
      merged = state;
      continue;
    }
    try {
      merged.merge(state);
    } catch (error) {
      if (error instanceof ProfileStateError && error.code === 'HEADER_MISMATCH') {
        throw new BadInputError(
          'BAD_STATE',
          `the active PILOT samples of this dataset do not all have the same columns (sample ${pilot.id} differs from ${pilots[0].id}); ` +
            'a baseline merges samples with identical headers: deactivate the odd one or upload it to another dataset',
          { cause: error },
        );
      }
      throw error;
    }
  }
  return merged as DatasetState;
}

async function upsertFindings(
  trx: Transaction<Database>,
  workflowId: string,
  datasetId: string,
  reportId: string,
  findings: readonly Finding[],
  now: Date,
): Promise<void> {
  if (findings.length === 0) return;
  await trx
    .insertInto('findings')
    .values(
      findings.map((f) => ({
        workflow_id: workflowId,
        dataset_id: datasetId,
        fingerprint: f.fingerprint,
        code: f.code,
        dimension: f.dimension,
        column_name: f.column,
        severity: f.severity,
        message: f.message,
        evidence: JSON.stringify(f.evidence),
        status: 'OPEN' as const,
        first_report_id: reportId,
        last_report_id: reportId,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['dataset_id', 'fingerprint']).doUpdateSet((eb) => ({
        code: eb.ref('excluded.code'),
        dimension: eb.ref('excluded.dimension'),
        column_name: eb.ref('excluded.column_name'),
        severity: eb.ref('excluded.severity'),
        message: eb.ref('excluded.message'),
        evidence: eb.ref('excluded.evidence'),
        last_report_id: eb.ref('excluded.last_report_id'),
        updated_at: now,
        // Persisting findings keep their triage state; a resolved problem that returns is open again.
        status: sql`CASE WHEN findings.status = 'RESOLVED' THEN 'OPEN' ELSE findings.status END`,
        resolved_at: sql`CASE WHEN findings.status = 'RESOLVED' THEN NULL ELSE findings.resolved_at END`,
      })),
    )
    .execute();
}

async function resolveVanishedFindings(trx: Transaction<Database>, datasetId: string, current: readonly Finding[], now: Date): Promise<number> {
  let query = trx
    .updateTable('findings')
    .set({ status: 'RESOLVED', resolved_at: now, updated_at: now })
    .where('dataset_id', '=', datasetId)
    .where('status', '<>', 'RESOLVED');
  if (current.length > 0) query = query.where('fingerprint', 'not in', current.map((f) => f.fingerprint));
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Recomputes the workflow's score from the latest report of each of its datasets, weighted by
 * the datasets' weights (datasets whose latest report has no score do not count). Serialized per
 * workflow, and run last, so that it sees the reports other datasets committed meanwhile.
 */
async function updateWorkflowScore(trx: Transaction<Database>, workflowId: string, now: Date): Promise<number | null> {
  await advisoryLock(trx, `realitycheck.score:${workflowId}`);
  const row = await sql<{ score: number | null }>`
    SELECT sum(d.weight * r.score) / nullif(sum(d.weight), 0) AS score
    FROM datasets d
    CROSS JOIN LATERAL (
      SELECT score FROM reality_reports r
      WHERE r.dataset_id = d.id
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT 1
    ) r
    WHERE d.workflow_id = ${workflowId}::uuid AND r.score IS NOT NULL
  `.execute(trx);
  const score = row.rows[0]?.score ?? null;
  await trx.updateTable('workflows').set({ score, score_updated_at: now }).where('id', '=', workflowId).execute();
  return score === null ? null : Number(score);
}

