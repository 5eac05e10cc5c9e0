import type { Kysely } from 'kysely';
import { findReportInputs } from '../db/dataset-reports.js';
import { findDatasetsByIds } from '../db/datasets.js';
import type { Database, RealityReportRow } from '../db/database.js';
import { findLatestReportsByDatasetIds } from '../db/reality-reports.js';
import { encodeGlobalId } from './global-id.js';

/** Why a report no longer describes its dataset. */
export interface ReportStaleness {
  readonly code: string;
  readonly message: string;
}

/**
 * Why each report no longer describes its dataset, or null when it does. Read from the database
 * as it is now, so nothing has to remember to mark a report stale:
 *
 * - a newer report exists: `SUPERSEDED` (the newer one says whether it is stale in turn);
 * - the dataset's last report attempt failed (`reportError`): its code and message;
 * - a change to its samples asked for a new report that is not computed yet: `REPORT_PENDING`;
 * - the samples a report would compare now are not the ones it compared (a PRODUCTION sample
 *   profiled since, a PILOT sample added, deactivated or deleted): `SAMPLES_CHANGED`.
 */
export async function findReportStaleness(db: Kysely<Database>, reports: readonly RealityReportRow[]): Promise<Map<string, ReportStaleness | null>> {
  const datasetIds = [...new Set(reports.map((r) => r.dataset_id))];
  const [datasets, inputs, latest] = await Promise.all([
    findDatasetsByIds(db, datasetIds),
    findReportInputs(db, datasetIds),
    findLatestReportsByDatasetIds(db, datasetIds),
  ]);
  const datasetById = new Map(datasets.map((d) => [d.id, d]));
  const latestByDataset = new Map(latest.map((r) => [r.dataset_id, r.id]));
  const sample = (id: string) => encodeGlobalId('Sample', id);
  const result = new Map<string, ReportStaleness | null>();
  for (const report of reports) {
    const dataset = datasetById.get(report.dataset_id);
    const now = inputs.get(report.dataset_id);
    let staleness: ReportStaleness | null = null;
    if (latestByDataset.get(report.dataset_id) !== report.id) {
      staleness = { code: 'SUPERSEDED', message: 'a newer report of the dataset exists' };
    } else if (dataset?.report_error_code) {
      staleness = {
        code: dataset.report_error_code,
        message: `no report could be computed since ${dataset.report_error_at?.toISOString() ?? 'then'}: ${dataset.report_error_message ?? ''}`,
      };
    } else if (dataset?.report_requested_at) {
      staleness = {
        code: 'REPORT_PENDING',
        message: `a sample of the dataset was deactivated, reactivated or deleted at ${dataset.report_requested_at.toISOString()}; a new report is being computed`,
      };
    } else if (now) {
      const changes: string[] = [];
      if (now.productionId !== report.production_sample_id) {
        changes.push(
          now.productionId === null
            ? 'the PRODUCTION sample it compared is no longer active'
            : `PRODUCTION sample ${sample(now.productionId)} is the newest active one now`,
        );
      }
      const compared = new Set(report.pilot_sample_ids);
      const added = now.pilotIds.filter((id) => !compared.has(id));
      const left = report.pilot_sample_ids.filter((id) => !now.pilotIds.includes(id));
      if (added.length > 0) changes.push(`PILOT sample${added.length > 1 ? 's' : ''} ${added.map(sample).join(', ')} joined the baseline`);
      if (left.length > 0) changes.push(`PILOT sample${left.length > 1 ? 's' : ''} ${left.map(sample).join(', ')} left it`);
      if (changes.length > 0) {
        staleness = { code: 'SAMPLES_CHANGED', message: `since this report, ${changes.join('; ')}; a new report follows once they are compared` };
      }
    }
    result.set(report.id, staleness);
  }
  return result;
}
