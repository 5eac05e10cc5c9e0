import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The repository's root (this file is `eval/real-files.ts`, compiled to `dist/eval/real-files.js`). */
export const REPOSITORY_ROOT = (() => {
  const up = resolve(import.meta.dirname, '..');
  return basename(up) === 'dist' ? resolve(up, '..') : up;
})();

/** Large real files nobody here wrote (≥ 20,000 rows), kept gzipped: see `fixtures/real/large/README.md`. */
export const LARGE_REAL_FILES = join(REPOSITORY_ROOT, 'fixtures', 'real', 'large');

/** One real file, decoded. */
export interface RealFile {
  readonly name: string;
  readonly text: string;
}

/** Reads a `.csv` or `.csv.gz` file as UTF-8 text. */
export function readRealFile(path: string): RealFile {
  const bytes = readFileSync(path);
  const raw = path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  return { name: basename(path).replace(/\.gz$/, ''), text: new TextDecoder('utf-8', { fatal: true }).decode(raw) };
}

/** Every large real file, in name order. */
export function largeRealFiles(): RealFile[] {
  return readdirSync(LARGE_REAL_FILES)
    .filter((f) => f.endsWith('.csv.gz') || f.endsWith('.csv'))
    .sort()
    .map((f) => readRealFile(join(LARGE_REAL_FILES, f)));
}
