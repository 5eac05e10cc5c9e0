import { UsageError, type Command } from '../command.js';
import { formatBanner } from '../../server/banner.js';
import { CONFIG_DEFAULTS, loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { installCrashLogging } from '../../platform/crash-logging.js';
import { runApi } from '../../server/run-api.js';
import { waitForShutdown } from '../../platform/shutdown.js';

/** `realitycheck api`: the API alone, against DATABASE_URL (workers run as separate processes). */
export const apiCommand: Command = {
  summary: 'Run the API server alone against DATABASE_URL (services mode)',
  help: `Usage: realitycheck api

Serves the GraphQL API and the upload route against the Postgres at DATABASE_URL (required),
after running pending migrations. Profiling workers run separately (\`realitycheck worker\`).
Run several API processes behind a load balancer with the same REALITYCHECK_UPLOAD_SECRET.

As a service (a container, a host behind a load balancer) it listens on every interface
(0.0.0.0) unless HOST names one, e.g. HOST=127.0.0.1 behind a reverse proxy on the same host.
\`realitycheck start\` listens on 127.0.0.1 instead.

Environment: HOST (0.0.0.0); the rest as for \`realitycheck start\` (see \`realitycheck start --help\`).`,
  async run(argv) {
    if (argv.length > 0) throw new UsageError(`unexpected argument '${argv[0]}'`);
    const config = loadConfig(process.env, {}, { host: CONFIG_DEFAULTS.serviceHost });
    if (!config.databaseUrl) throw new UsageError('DATABASE_URL must be set (or use `realitycheck start` for an embedded Postgres)');
    const logger = createLogger({ level: config.logLevel });
    installCrashLogging(logger);
    // Uploads are queued for `realitycheck worker` processes (Redis with REDIS_URL, else BullMQ's PostgreSQL backend).
    const running = await runApi({
      config,
      logger,
      allowEmbedded: false,
      workers: async (context) => (await import('../../../workers/in-process-workers.js')).queueOnlyWorkerBackend(context),
    });
    process.stdout.write(formatBanner(running, config.publicUrl) + '\n');
    await waitForShutdown(running.stop, logger);
    return 0;
  },
};
