import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads a secret kept in a file, or creates the file (mode 0600, directory 0700) with
 * `create()`'s value when it does not exist yet.
 *
 * @returns the secret and whether this call created it.
 */
export async function readOrCreateSecretFile(
  file: string,
  create: () => string,
): Promise<{ secret: string; created: boolean }> {
  try {
    const secret = (await readFile(file, 'utf8')).trim();
    if (secret.length > 0) return { secret, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = create();
  // 'wx' fails if another process created the file meanwhile; then read theirs.
  try {
    await writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return { secret, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { secret: (await readFile(file, 'utf8')).trim(), created: false };
    }
    throw new Error(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}
