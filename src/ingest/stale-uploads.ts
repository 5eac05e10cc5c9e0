import type { Kysely } from 'kysely';
import { findOrphanedUploads, removeLapsedApiProcesses } from '../db/api-processes.js';
import type { Database } from '../db/database.js';
import { failSample } from '../db/samples.js';

/** How long uploads may go without their receiver before {@link failStaleUploads} fails them. */
export interface StaleUploadLimits {
  /** A receiver that has not renewed its lease for this long is dead. */
  readonly leaseSeconds: number;
  /**
   * For uploads that name no receiver: no block stored for this long. It must exceed the server's
   * idle-connection timeout, so that a live upload (which stores a block at least that often) is
   * never taken for a stale one.
   */
  readonly idleSeconds: number;
}

/**
 * Fails uploads whose receiver is gone (see `findOrphanedUploads`): they end FAILED with
 * UPLOAD_ABORTED and their blocks deleted, like an upload interrupted in front of the server.
 *
 * Why a lease and not the time of the last block: a live upload from a slow client may go a whole
 * idle-connection timeout (minutes) between two blocks, so the time of the last block can only
 * tell a dead upload after that long; and workers profiling the blocks already stored touch the
 * sample meanwhile. A lease says within seconds whether the process receiving the upload is alive,
 * whatever the client's speed, and never fails an upload that another live API process receives.
 *
 * @returns the ids of the samples failed.
 */
export async function failStaleUploads(db: Kysely<Database>, limits: StaleUploadLimits): Promise<string[]> {
  const orphaned = await findOrphanedUploads(db, limits);
  const failed: string[] = [];
  for (const upload of orphaned) {
    const message = upload.leaseLapsed
      ? `the upload stopped: the API process receiving it (${upload.receiver ?? 'gone'}) stopped or crashed before the file was complete; ` +
        'call createUpload for a new upload URL and send the file again'
      : `the upload stopped: no data arrived for ${limits.idleSeconds} seconds (the client or the server receiving it went away); ` +
        'call createUpload for a new upload URL and send the file again';
    if (await failSample(db, upload.sampleId, { stage: 'upload', code: 'UPLOAD_ABORTED', message })) failed.push(upload.sampleId);
  }
  await removeLapsedApiProcesses(db, limits.leaseSeconds);
  return failed;
}
