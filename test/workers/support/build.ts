import { execFile } from 'node:child_process';
import { mkdir, readdir, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** The compiled CLI the worker processes run. */
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

const MARKER = join(ROOT, 'dist', '.workers-test-build');
const LOCK = join(ROOT, 'dist', '.workers-test-build.lock');

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

async function upToDate(): Promise<boolean> {
  try {
    const built = (await stat(MARKER)).mtimeMs;
    const sources = Math.max(...(await Promise.all(['src', 'workers', 'migrations'].map((d) => newestSource(join(ROOT, d))))));
    return built >= sources;
  } catch {
    return false;
  }
}

/**
 * Compiles the project once (worker threads and worker processes run the JavaScript in dist/),
 * unless dist is newer than every source. Serialized across test files by a lock directory.
 */
export async function ensureBuilt(): Promise<void> {
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      if (waited > 180_000) throw new Error(`build lock ${LOCK} held for 3 minutes; remove it if no build runs`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (await upToDate()) return;
    const started = new Date();
    // Errors in files under construction elsewhere do not stop tsc from emitting.
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], {
      cwd: ROOT,
    }).catch((error: { stdout?: string }) => {
      if (!/error TS/.test(error.stdout ?? '')) throw error;
    });
    await writeFile(MARKER, '');
    await utimes(MARKER, started, started);
  } finally {
    await rmdir(LOCK).catch(() => undefined);
  }
}
