import path from 'node:path';
import type { Kysely } from 'kysely';
import { upsertApiKey } from '../db/api-keys.js';
import type { Database } from '../db/database.js';
import { generateApiKeySecret, hashApiKeySecret, parseApiKeySecret } from '../platform/api-key-secret.js';
import type { Config } from '../platform/config.js';
import { ConfigError } from '../platform/config.js';
import { readOrCreateSecretFile } from '../platform/secret-file.js';

/** File under the data directory that keeps the generated admin key. */
export const ADMIN_KEY_FILE = 'admin-key';

/** The admin key a process runs with, and where it came from. */
export interface AdminKey {
  readonly secret: string;
  /** `env`: REALITYCHECK_ADMIN_KEY; `file`: the data directory's admin-key file. */
  readonly source: 'env' | 'file';
  /** The file holding it (source `file`). */
  readonly file?: string;
  /** Whether this start generated it (print it then). */
  readonly created: boolean;
}

/**
 * Makes sure an admin key exists and works: `REALITYCHECK_ADMIN_KEY` when set, else the key saved
 * in `<dataDir>/admin-key` (mode 0600), generated on the first start. The key is (re)installed in
 * the database on every start, so it also works against a fresh database.
 */
export async function ensureAdminKey(db: Kysely<Database>, config: Config): Promise<AdminKey> {
  let key: AdminKey;
  if (config.adminKey) {
    key = { secret: config.adminKey, source: 'env', created: false };
  } else {
    const file = path.join(config.dataDir, ADMIN_KEY_FILE);
    const { secret, created } = await readOrCreateSecretFile(file, () => generateApiKeySecret().secret);
    key = { secret, source: 'file', file, created };
  }
  const parsed = parseApiKeySecret(key.secret);
  if (!parsed) {
    throw new ConfigError(
      `${key.source === 'env' ? 'REALITYCHECK_ADMIN_KEY' : key.file} must be a key of the form rc_<prefix>_<random> or at least 20 characters without spaces`,
    );
  }
  await upsertApiKey(db, {
    name: key.source === 'env' ? 'admin (REALITYCHECK_ADMIN_KEY)' : 'admin (generated on first start)',
    prefix: parsed.prefix,
    secretHash: hashApiKeySecret(parsed.secret),
    scopes: { admin: true, read: [], write: [] },
  });
  return key;
}
