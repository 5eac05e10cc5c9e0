import { parseArgs, numberOption } from '../args.js';
import { UsageError, type Command } from '../command.js';

const HELP = `Usage: realitycheck worker [options]

Runs the background workers: profiles uploaded samples block by block, merges their profiles,
recomputes reality reports and workflow scores, and deletes raw data past its retention. Run as
many as you need, on any number of hosts: they share the work through the queue.

Options:
  --concurrency <n>   Blocks this process profiles at once (default: WORKER_CONCURRENCY, else the
                      number of cores).
  -h, --help          Show this help.

Environment:
  DATABASE_URL        Postgres of the API (required).
  REDIS_URL           Redis for the queues (maxmemory-policy must be noeviction). Without it the
                      queues live in the same Postgres (BullMQ's PostgreSQL backend).
  REDIS_CLUSTER=1     REDIS_URL is a seed node of a Redis Cluster.
  QUEUE_PREFIX        Redis key prefix, hash-tagged for Redis Cluster (default rc → {rc}).
  WORKER_SHUTDOWN_TIMEOUT_MS, WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS,
  WORKER_MAX_STALLED_COUNT, JOB_ATTEMPTS, JOB_BACKOFF_MS, RETENTION_INTERVAL_MS,
  RECONCILE_INTERVAL_MS, RECONCILE_GRACE_MS: see docs/workers.md.
  WORKER_THREAD_HEAP_MAX_MB
                      The most heap one job's thread may have (default 1024); each job gets what
                      its block size and width need, up to this. A job that needs more fails its
                      sample with SAMPLE_TOO_WIDE; the process goes on (docs/workers.md, Memory).
  WORKER_METRICS_PORT Serve /metrics and /health on this port (on HOST, default 127.0.0.1),
                      behind METRICS_TOKEN when set. Logs are JSON lines on stderr.

SIGTERM or SIGINT stops taking jobs and lets running ones finish (or hands them back to the
queue after WORKER_SHUTDOWN_TIMEOUT_MS); a second signal exits at once.`;

/** `realitycheck worker`: the queue workers, as a process of their own. */
export const workerCommand: Command = {
  summary: 'Run the background workers (profiling, reports, retention)',
  help: HELP,
  async run(argv) {
    const args = parseArgs(argv, ['concurrency'], []);
    if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
    const concurrency = numberOption(args, 'concurrency', 1, 256);
    if (concurrency !== undefined && !Number.isInteger(concurrency)) throw new UsageError('--concurrency must be a whole number');
    const { runWorkerProcess } = await import('../../../workers/run-worker-process.js');
    return runWorkerProcess({ concurrency });
  },
};
