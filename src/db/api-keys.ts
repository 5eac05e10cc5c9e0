import type { Kysely } from 'kysely';
import type { ApiKeyRow, ApiKeyScopes, Database } from './database.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

/** Stores a key (its hash only) and returns the row. */
export async function insertApiKey(
  db: Kysely<Database>,
  values: { name: string; prefix: string; secretHash: string; scopes: ApiKeyScopes },
): Promise<ApiKeyRow> {
  return db
    .insertInto('api_keys')
    .values({ name: values.name, prefix: values.prefix, secret_hash: values.secretHash, scopes: JSON.stringify(values.scopes) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Makes sure a key with this prefix and hash exists, active, with these scopes: used to install
 * the bootstrap admin key on every start. Returns the row.
 */
export async function upsertApiKey(
  db: Kysely<Database>,
  values: { name: string; prefix: string; secretHash: string; scopes: ApiKeyScopes },
): Promise<ApiKeyRow> {
  return db
    .insertInto('api_keys')
    .values({ name: values.name, prefix: values.prefix, secret_hash: values.secretHash, scopes: JSON.stringify(values.scopes) })
    .onConflict((oc) =>
      oc.column('prefix').doUpdateSet({
        secret_hash: values.secretHash,
        scopes: JSON.stringify(values.scopes),
        revoked_at: null,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The key with this public prefix, revoked or not. */
export async function findApiKeyByPrefix(db: Kysely<Database>, prefix: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
}

/** Keys with the given ids (any order; missing ids are absent). */
export async function findApiKeysByIds(db: Kysely<Database>, ids: readonly string[]): Promise<ApiKeyRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('api_keys').selectAll().where('id', 'in', ids).execute();
}

/** One page of keys, oldest first. */
export async function listApiKeys(db: Kysely<Database>, page: KeysetPage): Promise<Paged<ApiKeyRow>[]> {
  return paginate(db.selectFrom('api_keys').selectAll('api_keys'), 'api_keys', page).execute();
}

/** Revokes a key (idempotent: the first revocation time is kept); returns the row or undefined. */
export async function revokeApiKey(db: Kysely<Database>, id: string): Promise<ApiKeyRow | undefined> {
  return db
    .updateTable('api_keys')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date())) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Records use of a key, at most once a minute so that reads do not all turn into writes. */
export async function touchApiKey(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(Date.now() - 60_000))]))
    .execute();
}
