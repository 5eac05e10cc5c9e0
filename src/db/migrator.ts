import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import * as initial from '../../migrations/0001-initial.js';
import * as findingSeverityOrder from '../../migrations/0002-finding-severity-order.js';
import * as recoverableStates from '../../migrations/0003-recoverable-states.js';

/**
 * Every migration, by name, in order. Imported statically so that the same list works from the
 * TypeScript sources (tests) and from the compiled `dist/` (CLI); add new migrations here.
 */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-finding-severity-order': findingSeverityOrder,
  '0003-recoverable-states': recoverableStates,
};

/** A provider that serves {@link MIGRATIONS}. */
export const staticMigrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/** Raised when a migration fails; carries the name of the failing migration. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    message: string,
    readonly migrationName: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Brings the schema to the latest migration. Concurrent callers are serialized by Kysely's
 * migration lock, so every process may call this on start.
 *
 * @returns the names of the migrations applied by this call (empty when already up to date).
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error || failed) {
    const cause = result.error instanceof Error ? result.error : new Error(String(result.error));
    throw new MigrationError(
      `migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause.message}`,
      failed?.migrationName,
      { cause },
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
