import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from './config.js';
import { readOrCreateSecretFile } from './secret-file.js';

/** File under the data directory that keeps the generated upload signing key. */
export const UPLOAD_SECRET_FILE = 'upload-secret';

/**
 * The key that signs upload URLs: `REALITYCHECK_UPLOAD_SECRET` when set (required when several API
 * processes serve one deployment), else one generated once and kept in `<dataDir>/upload-secret`.
 */
export async function resolveUploadSecret(config: Config): Promise<string> {
  if (config.uploadSecret) return config.uploadSecret;
  const { secret } = await readOrCreateSecretFile(path.join(config.dataDir, UPLOAD_SECRET_FILE), () =>
    randomBytes(32).toString('base64url'),
  );
  return secret;
}
