import { join } from 'node:path';

/**
 * The real-file fixtures (files nobody here wrote, their measured facts and DuckDB statistics),
 * read from `../shared/` beside the checkout, where the project's workspace keeps them.
 */
export const REAL_FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'real');
