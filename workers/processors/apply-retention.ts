import type { Job } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { applyRawRetention, type RetentionOutcome } from '../../src/pipeline/apply-raw-retention.js';
import { applyRetentionPayload, parsePayload } from '../../src/queue/job-payloads.js';
import type { Logger } from '../../src/platform/logger.js';

/**
 * `apply-retention` (repeatable): deletes the raw blocks of profiled samples past their
 * workflow's retention (see `applyRawRetention`). Database work only, so it runs on the worker's
 * main thread rather than in a sandbox.
 */
export function createApplyRetentionProcessor(db: Kysely<Database>, logger: Logger): (job: Job) => Promise<RetentionOutcome> {
  return async (job) => {
    parsePayload(applyRetentionPayload, job.data ?? {}, `apply-retention job ${job.id ?? ''}`);
    const outcome = await applyRawRetention(db);
    for (const invalid of outcome.invalidSettings) {
      logger.warn('raw retention skipped: the workflow setting is not an ISO 8601 duration', invalid);
    }
    if (outcome.samples > 0) logger.info('raw data deleted under retention', { samples: outcome.samples, blocks: outcome.blocks });
    return outcome;
  };
}
