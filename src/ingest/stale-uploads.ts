import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { failSample, findStaleUploads } from '../db/samples.js';

/**
 * Fails uploads that stopped making progress: samples RECEIVING with no block stored for
 * `idleSeconds` (their API process died or lost the client without noticing). They end FAILED
 * with UPLOAD_ABORTED and their blocks deleted, like an upload interrupted in front of the server.
 *
 * `idleSeconds` must exceed the server's idle-connection timeout, so that a live upload (which
 * stores a block at least that often) is never taken for a stale one.
 *
 * @returns the ids of the samples failed.
 */
export async function failStaleUploads(db: Kysely<Database>, idleSeconds: number, now = new Date()): Promise<string[]> {
  const stale = await findStaleUploads(db, new Date(now.getTime() - idleSeconds * 1000));
  for (const id of stale) {
    await failSample(db, id, {
      errorCode: 'UPLOAD_ABORTED',
      error: `the upload stopped: no data arrived for ${idleSeconds} seconds (the client or the server receiving it went away)`,
    });
  }
  return stale;
}
