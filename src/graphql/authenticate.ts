import type { Kysely } from 'kysely';
import { findApiKeyByPrefix, touchApiKey } from '../db/api-keys.js';
import type { Database } from '../db/database.js';
import { apiKeySecretMatches, parseApiKeySecret } from '../platform/api-key-secret.js';
import type { Logger } from '../platform/logger.js';
import { Access } from './access.js';

/**
 * Turns the `Authorization` header of a request into its {@link Access}. Never throws for a bad
 * key: the request proceeds anonymously and each protected field answers UNAUTHENTICATED with the
 * reason, while the public schema (introspection, `__typename`) stays readable.
 */
export async function authenticate(db: Kysely<Database>, header: string | null, logger: Logger): Promise<Access> {
  if (!header) return Access.anonymous('an API key is required: send the header "Authorization: Bearer <secret>"');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return Access.anonymous('the Authorization header must have the form "Bearer <secret>"');
  const parsed = parseApiKeySecret(match[1]!);
  if (!parsed) return Access.anonymous('the API key is malformed');
  const row = await findApiKeyByPrefix(db, parsed.prefix);
  if (!row || !apiKeySecretMatches(parsed.secret, row.secret_hash)) return Access.anonymous('the API key is not valid');
  if (row.revoked_at) return Access.anonymous('the API key was revoked');
  touchApiKey(db, row.id).catch((error: unknown) => logger.warn('could not record API key use', { keyId: row.id, error }));
  return Access.forKey({
    id: row.id,
    name: row.name,
    scopes: { admin: row.scopes.admin === true, read: row.scopes.read ?? [], write: row.scopes.write ?? [] },
  });
}
