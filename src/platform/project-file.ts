import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository (or installed package) root: this module runs from `src/platform` in the sources
 * and from `dist/src/platform` once compiled.
 */
export const PROJECT_ROOT = (() => {
  const above = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  return path.basename(above) === 'dist' ? path.dirname(above) : above;
})();

/** A file shipped with the project (e.g. `schema.graphql`, `fixtures/demo/pilot.csv`), by its path from the root. */
export function projectFile(...segments: string[]): string {
  return path.join(PROJECT_ROOT, ...segments);
}
