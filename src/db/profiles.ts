import type { Kysely } from 'kysely';
import type { Database, ProfileRow } from './database.js';
import { markSampleProfiled } from './sample-lifecycle.js';

/** Profiles of the given samples (any order; samples without a profile are absent). */
export async function findProfilesBySampleIds(db: Kysely<Database>, sampleIds: readonly string[]): Promise<ProfileRow[]> {
  if (sampleIds.length === 0) return [];
  return db.selectFrom('profiles').selectAll().where('sample_id', 'in', sampleIds).execute();
}

/** What {@link storeProfile} writes. */
export interface ProfileToStore {
  readonly sampleId: string;
  readonly engineVersion: string;
  readonly profile: unknown;
  readonly state: unknown;
  readonly rows: number;
}

/**
 * Stores a sample's profile and marks it PROFILED in one transaction (a repeated merge replaces
 * the profile with the same one). Nothing is written when the sample is no longer
 * RECEIVED/PROFILING (it failed, or a concurrent merge finished first).
 *
 * @returns whether the profile was stored.
 */
export async function storeProfile(db: Kysely<Database>, profile: ProfileToStore): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await markSampleProfiled(trx, profile.sampleId, profile.rows))) return false;
    await trx
      .insertInto('profiles')
      .values({
        sample_id: profile.sampleId,
        engine_version: profile.engineVersion,
        profile: JSON.stringify(profile.profile),
        state: JSON.stringify(profile.state),
      })
      .onConflict((oc) =>
        oc.column('sample_id').doUpdateSet((eb) => ({
          engine_version: eb.ref('excluded.engine_version'),
          profile: eb.ref('excluded.profile'),
          state: eb.ref('excluded.state'),
          created_at: new Date(),
        })),
      )
      .execute();
    return true;
  });
}

/** The stored profile state of a sample (throws when the sample has no profile). */
export async function findProfileState(db: Kysely<Database>, sampleId: string): Promise<unknown> {
  const row = await db.selectFrom('profiles').select('state').where('sample_id', '=', sampleId).executeTakeFirstOrThrow();
  return row.state;
}
