import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { recordReportFailure } from '../../src/db/dataset-reports.js';
import { BadInputError } from '../../src/pipeline/bad-input-error.js';
import { computeRealityReport, type ReportOutcome } from '../../src/pipeline/compute-reality-report.js';
import type { JobLike } from '../../src/queue/job-like.js';
import { computeReportPayload, parsePayload } from '../../src/queue/job-payloads.js';
import { UnrecoverableError } from '../../src/queue/unrecoverable-error.js';
import { threadDatabase } from './thread-database.js';

/**
 * `compute-report`: recomputes the reality report of a dataset after one of its samples was
 * profiled, deactivated, reactivated or deleted (see `computeRealityReport`). Samples that cannot
 * be compared (pilots with different columns) fail the job without retries, with the reason
 * recorded on the dataset (`Dataset.reportError`); the samples themselves stay PROFILED.
 */
export async function processComputeReport(db: Kysely<Database>, job: JobLike): Promise<ReportOutcome> {
  const { datasetId } = parsePayload(computeReportPayload, job.data, `compute-report job ${job.id ?? ''}`);
  let outcome: ReportOutcome;
  try {
    outcome = await computeRealityReport(db, datasetId);
  } catch (error) {
    if (!(error instanceof BadInputError)) throw error;
    await recordReportFailure(db, datasetId, { code: 'BAD_STATE', message: error.message, sampleId: null });
    throw new UnrecoverableError(error.message);
  }
  if (outcome.kind === 'failed') throw new UnrecoverableError(outcome.error.message);
  return outcome;
}

/** Entry point on a processor thread (see `JobThreads`). */
export default async function computeReportProcessor(job: JobLike): Promise<ReportOutcome> {
  return processComputeReport(threadDatabase(), job);
}
