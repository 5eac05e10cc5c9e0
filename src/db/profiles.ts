import type { Kysely } from 'kysely';
import type { Database, ProfileRow } from './database.js';

/** Profiles of the given samples (any order; samples without a profile are absent). */
export async function findProfilesBySampleIds(db: Kysely<Database>, sampleIds: readonly string[]): Promise<ProfileRow[]> {
  if (sampleIds.length === 0) return [];
  return db.selectFrom('profiles').selectAll().where('sample_id', 'in', sampleIds).execute();
}
