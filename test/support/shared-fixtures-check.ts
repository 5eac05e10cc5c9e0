import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REAL_FIXTURES } from './shared-fixtures.js';

/**
 * vitest global setup: the real-file suites read the shared fixtures (files nobody here wrote, with
 * their measured facts and DuckDB statistics) from `../shared/` beside the checkout, where they are
 * kept read-only instead of being copied in. Without them the run stops here with one clear
 * message rather than a dozen ENOENT failures.
 */
export default function checkSharedFixtures(): void {
  const facts = join(REAL_FIXTURES, 'facts');
  if (!existsSync(facts)) {
    throw new Error(
      `The test suite needs the shared fixtures beside this checkout, at ${facts} ` +
        '(the project layout puts `shared/` next to the repository folder); it is missing.',
    );
  }
}
