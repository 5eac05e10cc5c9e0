import { fileURLToPath } from 'node:url';

/**
 * The real-file fixtures in the repository (`fixtures/real`): files nobody here wrote, their
 * measured facts, DuckDB statistics and pilot/production pairs. Sources and licences are in its
 * README.
 */
export const REAL_FIXTURES = fileURLToPath(new URL('../../fixtures/real', import.meta.url));
