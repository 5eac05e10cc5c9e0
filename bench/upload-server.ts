/**
 * The API process measured by `bench/upload.ts`: starts the real server on the database given in
 * DATABASE_URL (migrated here), then prints one JSON line `{ url, adminKey, pid }` on stdout and
 * runs until SIGTERM. Run as a child process so that its memory is measured alone.
 */
import { createDatabase } from '../src/db/create-database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { ensureAdminKey } from '../src/server/admin-key.js';
import { startApiServer } from '../src/server/api-server.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { resolveUploadSecret } from '../src/platform/upload-secret.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const logger = createLogger({ level: 'warn' });
  const db = createDatabase(config.databaseUrl, { poolSize: 4 });
  await migrateToLatest(db);
  const adminKey = await ensureAdminKey(db, config);
  const api = await startApiServer({ config, db, uploadSecret: await resolveUploadSecret(config), logger });
  process.stdout.write(JSON.stringify({ url: api.url, adminKey: adminKey.secret, pid: process.pid }) + '\n');
  process.once('SIGTERM', () => {
    void api
      .close()
      .then(() => db.destroy())
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`upload-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
