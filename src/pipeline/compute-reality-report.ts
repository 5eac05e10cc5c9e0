import type { Kysely, Transaction } from 'kysely';
import type { Database, DatasetContract } from '../db/database.js';
import {
  findDatasetForReport,
  findProfiledSamples,
  lockDatasetReport,
  markReportCurrent,
  recordReportError,
  updateWorkflowScore,
  type ProfiledSample,
  type ReportError,
} from '../db/dataset-reports.js';
import { resolveVanishedFindings, upsertReportFindings } from '../db/findings.js';
import { findProfileState } from '../db/profiles.js';
import { findLatestReport, insertRealityReport } from '../db/reality-reports.js';
import { compareSnapshots } from '../engine/compare/compare-snapshots.js';
import { DRS_VERSION } from '../engine/compare/drs-parameters.js';
import { uniqueByFingerprint } from '../engine/compare/finding-draft.js';
import type { Finding } from '../engine/compare/reality-report.js';
import { DatasetState, type DatasetStateJson } from '../engine/profile/dataset-state.js';
import { finalizeDataset } from '../engine/profile/finalize.js';
import { ProfileStateError } from '../engine/model/errors.js';
import { finalizeOptions } from '../profiler/finalize-options.js';
import { contractSettings, freshnessSla, readDialect } from './profile-settings.js';

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
  /** Nothing to compare (no profiled PILOT or PRODUCTION sample); recorded as an error when the dataset has a report. */
  | { readonly kind: 'skipped'; readonly reason: string }
  /** The samples cannot be compared however often it is tried; recorded on the dataset (`report_error_*`). */
  | { readonly kind: 'failed'; readonly error: ReportError };

/** A report that cannot be computed from these samples, whatever the retries. */
class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
  constructor(readonly reportError: ReportError, options?: ErrorOptions) {
    super(reportError.message, options);
  }
}

/**
 * Recomputes the reality report of a dataset: the PILOT baseline (the merged states of its
 * active, profiled PILOT samples) against its newest active, profiled PRODUCTION sample (by
 * extraction time). In one transaction, serialized per dataset by the report lock: stores the
 * report, upserts its findings by (dataset, fingerprint) — a finding that persists keeps its id,
 * status and assignee and takes the new figures; a RESOLVED one that comes back is OPEN again —
 * marks the dataset's findings the report no longer shows RESOLVED, and recomputes the
 * workflow's score as the weighted mean (dataset weights) of its datasets' latest scores.
 *
 * Idempotent: when the newest report already compares the same samples under the same
 * `drsVersion`, nothing is written, so a repeated job does not add a duplicate to the history —
 * unless a change to the dataset's samples asked for a new report (`report_requested_at`, see
 * `requestReport`): reports may have been deleted, so the latest one's findings and the workflow
 * score are brought up to date by a new report.
 *
 * The dataset's report state follows in the same transaction: a report computed (or found
 * unchanged) clears `report_error_*` and the request; samples that cannot be compared (PILOT
 * samples with different columns, an unreadable state) record why, naming the sample and what to
 * do, and end `failed`; nothing to compare ends `skipped`, recorded as an error only when the
 * dataset has a report, which is then out of date.
 */
export async function computeRealityReport(db: Kysely<Database>, datasetId: string): Promise<ReportOutcome> {
  return db.transaction().execute(async (trx) => {
    await lockDatasetReport(trx, datasetId);
    const dataset = await findDatasetForReport(trx, datasetId);
    if (!dataset) return { kind: 'skipped', reason: 'the dataset no longer exists' };

    const { pilots, production } = await findProfiledSamples(trx, datasetId);
    const latest = await findLatestReport(trx, datasetId);
    if (pilots.length === 0 || !production) {
      const reason = 'a report needs at least one profiled PILOT and one profiled PRODUCTION sample';
      if (!latest) {
        // No report yet: nothing is out of date, the dataset is just waiting for its samples.
        await markReportCurrent(trx, datasetId);
        return { kind: 'skipped', reason };
      }
      await recordReportError(trx, datasetId, nothingToCompare(pilots.length === 0 ? 'PILOT' : 'PRODUCTION'));
      return { kind: 'skipped', reason };
    }

    const pilotIds = pilots.map((p) => p.id);
    if (
      latest &&
      dataset.report_requested_at === null &&
      latest.production_sample_id === production.id &&
      latest.drs_version === DRS_VERSION &&
      sameMembers(latest.pilot_sample_ids, pilotIds)
    ) {
      await markReportCurrent(trx, datasetId);
      return { kind: 'unchanged', reportId: latest.id };
    }

    const contract: DatasetContract = dataset.contract ?? {};
    const sla = freshnessSla({ freshnessWarnAfter: dataset.freshness_warn_after, freshnessErrorAfter: dataset.freshness_error_after });
    let report: ReturnType<typeof compareSnapshots>;
    try {
      const baseline = await mergePilotStates(trx, pilots);
      const pilotSnapshot = finalizeDataset(baseline, finalizeOptions(readDialect(pilots[0].dialect, pilots[0].id), contractSettings('PILOT', contract)));
      const productionState = await readProfileState(trx, production);
      const productionSnapshot = finalizeDataset(
        productionState,
        finalizeOptions(readDialect(production.dialect, production.id), contractSettings('PRODUCTION', contract)),
      );
      report = compareSnapshots(pilotSnapshot, productionSnapshot, {
        asOf: production.extracted_at,
        pilotAsOf: new Date(Math.max(...pilots.map((p) => p.extracted_at.getTime()))),
        columnMap: contract.columnMap,
        requiredColumns: contract.requiredColumns,
        freshness: sla,
      });
    } catch (error) {
      if (!(error instanceof ReportInputError)) throw error;
      await recordReportError(trx, datasetId, error.reportError);
      return { kind: 'failed', error: error.reportError };
    }

    // Stamped after the lock is held (not the transaction's start), so the newest report is the last computed one.
    const createdAt = new Date();
    const reportId = await insertRealityReport(trx, {
      workflowId: dataset.workflow_id,
      datasetId,
      productionSampleId: production.id,
      pilotSampleIds: pilotIds,
      score: report.score,
      drsVersion: report.drsVersion,
      report,
      createdAt,
    });

    const findings = uniqueByFingerprint(report.findings);
    await upsertReportFindings(trx, { workflowId: dataset.workflow_id, datasetId, reportId }, findings, createdAt);
    const resolved = await resolveVanishedFindings(trx, datasetId, findings, createdAt);
    const workflowScore = await updateWorkflowScore(trx, dataset.workflow_id, createdAt);
    await markReportCurrent(trx, datasetId);
    return { kind: 'reported', reportId, score: report.score, findings: findings.length, resolved, workflowScore };
  });
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

/** How a sample is named in a report error: its file name and upload time (the error links the sample itself). */
function describe(sample: ProfiledSample, role: 'PILOT' | 'PRODUCTION'): string {
  return `${role} sample ${sample.filename ? `"${sample.filename}"` : sample.id} (uploaded ${sample.created_at.toISOString()})`;
}

function nothingToCompare(missing: 'PILOT' | 'PRODUCTION'): ReportError {
  return {
    code: missing === 'PILOT' ? 'NO_PILOT' : 'NO_PRODUCTION',
    message:
      `the dataset has no active, profiled ${missing} sample any more, so its latest report cannot be recomputed and is out of date; ` +
      `upload a ${missing} sample, or reactivate one (reactivateSample)`,
    sampleId: null,
  };
}

async function readProfileState(trx: Transaction<Database>, sample: ProfiledSample, role: 'PILOT' | 'PRODUCTION' = 'PRODUCTION'): Promise<DatasetState> {
  const state = await findProfileState(trx, sample.id);
  try {
    return DatasetState.fromJSON(state as DatasetStateJson);
  } catch (error) {
    if (error instanceof ProfileStateError) {
      throw new ReportInputError(
        {
          code: 'BAD_STATE',
          message: `the stored profile of ${describe(sample, role)} cannot be read (${error.message}); delete it (deleteSample) and upload the file again`,
          sampleId: sample.id,
        },
        { cause: error },
      );
    }
    throw error;
  }
}

/** The pilot baseline: the states of the pilot samples merged in a fixed order (one state in memory at a time). */
async function mergePilotStates(trx: Transaction<Database>, pilots: readonly ProfiledSample[]): Promise<DatasetState> {
  let merged: DatasetState | null = null;
  for (const pilot of pilots) {
    const state = await readProfileState(trx, pilot, 'PILOT');
    if (!merged) {
      merged = state;
      continue;
    }
    try {
      merged.merge(state);
    } catch (error) {
      if (error instanceof ProfileStateError && error.code === 'HEADER_MISMATCH') {
        throw new ReportInputError(
          {
            code: 'PILOT_COLUMNS_DIFFER',
            message:
              `${describe(pilot, 'PILOT')} does not have the columns of ${describe(pilots[0], 'PILOT')}: ` +
              `${headerDifference(merged.header, state.header)}. A baseline merges PILOT samples with identical columns, so no report ` +
              'can be computed and the latest one is out of date: deactivate the odd sample (deactivateSample) or delete it (deleteSample), ' +
              'and upload it to a dataset of its own if it belongs elsewhere',
            sampleId: pilot.id,
          },
          { cause: error },
        );
      }
      throw error;
    }
  }
  return merged as DatasetState;
}

/** How `other`'s columns differ from `base`'s, in words. */
export function headerDifference(base: readonly string[], other: readonly string[]): string {
  const quote = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');
  const lacks = base.filter((n) => !other.includes(n));
  const adds = other.filter((n) => !base.includes(n));
  const parts: string[] = [];
  if (lacks.length > 0) parts.push(`it lacks ${quote(lacks)}`);
  if (adds.length > 0) parts.push(`it has ${quote(adds)} in addition`);
  if (parts.length === 0) parts.push(`it has the same columns in another order (${quote(other)} instead of ${quote(base)})`);
  return parts.join('; ');
}
