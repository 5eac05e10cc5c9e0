import { UsageError, type Command } from '../command.js';
import { createDatabase } from '../../db/create-database.js';
import { migrateToLatest } from '../../db/migrator.js';
import { loadConfig } from '../../platform/config.js';
import { startEmbeddedPostgres } from '../../platform/embedded-postgres.js';
import { createLogger } from '../../platform/logger.js';

/** `realitycheck migrate`: applies pending migrations and exits. */
export const migrateCommand: Command = {
  summary: 'Apply pending database migrations and exit',
  help: `Usage: realitycheck migrate

Applies pending migrations to the database at DATABASE_URL, or to the embedded Postgres under
REALITYCHECK_DATA_DIR when DATABASE_URL is unset. \`start\` and \`api\` also migrate on start.`,
  async run(argv) {
    if (argv.length > 0) throw new UsageError(`unexpected argument '${argv[0]}'`);
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel });
    const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
    const db = createDatabase(config.databaseUrl ?? embedded!.url, { poolSize: 2 });
    try {
      const applied = await migrateToLatest(db);
      process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
      return 0;
    } finally {
      await db.destroy();
      await embedded?.stop();
    }
  },
};
