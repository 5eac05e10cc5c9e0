import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { LogLevel } from './logger.js';

const MiB = 1024 * 1024;

/**
 * Every default of realitycheck (API, queues and workers) in one place. Environment variables
 * override them; see {@link loadConfig}, the one place that reads them.
 */
export const CONFIG_DEFAULTS = {
  port: 4000,
  /** Loopback only: a local run is not reachable from the network unless HOST says so. */
  host: '127.0.0.1',
  /** Where `realitycheck api` listens without HOST: every interface, as a service in a container or behind a load balancer. */
  serviceHost: '0.0.0.0',
  dataDir: './.realitycheck',
  /** Upper bound of a streamed `PUT /uploads/…` body. */
  uploadMaxBytes: 20 * 1024 * MiB,
  /** Upper bound of a file sent through the `uploadSample` GraphQL multipart mutation. */
  multipartMaxBytes: 25 * MiB,
  /** Uploads (PUT and multipart) that stream into blocks at once per API process; the others wait their turn. */
  uploadMaxConcurrent: 4,
  /** Target size of one row-aligned block stored in `sample_blocks`. */
  blockBytes: 8 * MiB,
  maxColumns: 1_000,
  /** A record may overflow a block by at most this much; it also bounds the length of one field. */
  maxRecordBytes: 16 * MiB,
  /** How long an upload URL returned by `createUpload` stays valid, in seconds. */
  uploadUrlTtlSeconds: 24 * 60 * 60,
  /** An API process renews its upload lease three times per this; once it lapses, its uploads are failed. */
  uploadLeaseSeconds: 30,
  databasePoolSize: 10,
  /** GraphQL limits (graphql-armor). */
  maxQueryDepth: 10,
  maxQueryAliases: 15,
  maxQueryTokens: 2_000,
  maxQueryCost: 50_000,
  /** Field selections in one query document (repeated copies count each time). */
  maxQueryFields: 200,
  maxQueryDirectives: 50,
  /** Largest body of a GraphQL request that is not a multipart upload (JSON). */
  maxRequestBytes: 1024 * 1024,
  /** Uploads (`uploadSample`, `createUpload`) one API key may start per minute, per API process; 0 turns the limit off. */
  rateLimitUploadsPerMinute: 30,
  /** Query cost (as GRAPHQL_MAX_COST counts it) one API key may spend per minute, per API process; 0 turns the limit off. */
  rateLimitQueryCostPerMinute: 500_000,
  logLevel: 'info',
  /** Queues and workers. */
  jobs: {
    /** Redis key prefix; wrapped in braces (a hash tag) so that every key of a flow lands in one Redis Cluster slot. */
    queuePrefix: 'rc',
    /** How long a worker holds a job before it must renew the lock; a dead worker's job is taken back after about this long. */
    lockDurationMs: 30_000,
    /** How often workers look for jobs whose worker died (stalled jobs). */
    stalledIntervalMs: 30_000,
    /** A job that stalls more often than this fails (a poison job that kills its worker every time). */
    maxStalledCount: 3,
    /** Attempts of a job that hits transient faults (database or network). */
    attempts: 5,
    /** First retry delay; doubles per attempt, with jitter. */
    backoffMs: 2_000,
    /** Share of each retry delay that is random, so that retries of many jobs spread out. */
    backoffJitter: 0.5,
    /** On SIGTERM/SIGINT, how long running jobs may take to finish before they are handed back to the queue. */
    shutdownTimeoutMs: 30_000,
    /** How often the raw-data retention job runs. */
    retentionIntervalMs: 60 * 60 * 1000,
    /** How often a worker compares the samples in Postgres with the jobs in the queue, and re-adds lost work. */
    reconcileIntervalMs: 60_000,
    /** A sample is reconciled only after it made no progress for this long. */
    reconcileGraceMs: 120_000,
    /** The most heap one processor thread may be given, in MiB (see `pipeline/memory-plan.ts`). */
    threadHeapMaxMb: 1_024,
  },
} as const;

/** Settings of the queues and workers: the `jobs` section of {@link Config}. */
export interface JobsConfig {
  /** Redis connection string (`REDIS_URL`); undefined selects BullMQ's PostgreSQL backend. */
  readonly redisUrl: string | undefined;
  /** Treat `REDIS_URL` as a seed node of a Redis Cluster (`REDIS_CLUSTER=1`). */
  readonly redisCluster: boolean;
  /** Redis key prefix, hash-tagged: `{rc}` (`QUEUE_PREFIX`). */
  readonly queuePrefix: string;
  /** Parallel `profile-block` jobs per worker process (`WORKER_CONCURRENCY`); default: the number of cores. */
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly backoffJitter: number;
  readonly shutdownTimeoutMs: number;
  readonly retentionIntervalMs: number;
  readonly reconcileIntervalMs: number;
  readonly reconcileGraceMs: number;
  /** The most heap one processor thread may be given, in MiB (`WORKER_THREAD_HEAP_MAX_MB`); jobs get less when their plan allows. */
  readonly threadHeapMaxMb: number;
  /** Port of the `/metrics` and `/health` server of a `realitycheck worker` process (`WORKER_METRICS_PORT`); unset: none. */
  readonly metricsPort: number | undefined;
}

/** The parsed configuration of a realitycheck process. Immutable; build it once with {@link loadConfig}. */
export interface Config {
  /** HTTP port of the API (`PORT`). 0 picks a free port. */
  readonly port: number;
  /** Interface the API listens on (`HOST`; `127.0.0.1` unless the command has another default). */
  readonly host: string;
  /** Postgres connection string (`DATABASE_URL`); undefined means "run the embedded Postgres". */
  readonly databaseUrl: string | undefined;
  /** Directory for local state: embedded Postgres data, admin key, upload signing secret (`REALITYCHECK_DATA_DIR`). */
  readonly dataDir: string;
  /** Admin API key secret to accept (`REALITYCHECK_ADMIN_KEY`); created on first start when unset. */
  readonly adminKey: string | undefined;
  /** Secret that signs upload URLs (`REALITYCHECK_UPLOAD_SECRET`); every API process of one deployment needs the same. */
  readonly uploadSecret: string | undefined;
  /** Base URL used in the upload URLs handed to clients (`PUBLIC_URL`); defaults to the listening address. */
  readonly publicUrl: string | undefined;
  readonly uploadMaxBytes: number;
  readonly multipartMaxBytes: number;
  /** Uploads received at once per API process (`UPLOAD_MAX_CONCURRENT`); further ones wait, their bytes held back by TCP. */
  readonly uploadMaxConcurrent: number;
  readonly blockBytes: number;
  readonly maxColumns: number;
  readonly maxRecordBytes: number;
  readonly uploadUrlTtlSeconds: number;
  /** Lease of an API process over the uploads it receives (`UPLOAD_LEASE_SECONDS`). */
  readonly uploadLeaseSeconds: number;
  readonly databasePoolSize: number;
  readonly maxQueryDepth: number;
  readonly maxQueryAliases: number;
  readonly maxQueryTokens: number;
  readonly maxQueryCost: number;
  readonly maxQueryFields: number;
  readonly maxQueryDirectives: number;
  /** Largest JSON GraphQL request body (`GRAPHQL_MAX_BODY_BYTES`). */
  readonly maxRequestBytes: number;
  /** Browser origins allowed to call the API across origins (`CORS_ORIGINS`, comma-separated; `*` for any). None by default. */
  readonly corsOrigins: readonly string[];
  /** Uploads per API key per minute (`RATE_LIMIT_UPLOADS_PER_MINUTE`); 0 means no limit. */
  readonly rateLimitUploadsPerMinute: number;
  /** Query cost per API key per minute (`RATE_LIMIT_QUERY_COST_PER_MINUTE`); 0 means no limit. */
  readonly rateLimitQueryCostPerMinute: number;
  /** Bearer token `/metrics` requires (`METRICS_TOKEN`); unset: `/metrics` is open like `/health`. */
  readonly metricsToken: string | undefined;
  /** Lowest level logged (`LOG_LEVEL`: debug, info, warn, error). */
  readonly logLevel: LogLevel;
  /** Queues and workers. */
  readonly jobs: JobsConfig;
}

/** What {@link loadConfig} takes instead of the environment: any setting, and any setting of the `jobs` section. */
export type ConfigOverrides = Partial<Omit<Config, 'jobs'>> & { readonly jobs?: Partial<JobsConfig> };

/** Raised when an environment variable does not parse; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());
const positiveInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));
const nonNegativeInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(fallback));

/** `https://app.example.com, http://localhost:5173` → exact origins (scheme, host, port; no path), or `*`. */
const originList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const origins: string[] = [];
      for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
        if (item === '*') {
          origins.push(item);
          continue;
        }
        let url: URL | undefined;
        try {
          url = new URL(item);
        } catch {
          url = undefined;
        }
        if (!url || !/^https?:$/.test(url.protocol) || url.origin !== item.replace(/\/$/, '')) {
          ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin such as https://app.example.com (scheme, host and port only)` });
          continue;
        }
        origins.push(url.origin);
      }
      return origins;
    }),
);

const JOBS = CONFIG_DEFAULTS.jobs;

const envSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65_535).default(CONFIG_DEFAULTS.port)),
  HOST: z.preprocess(emptyAsUndefined, z.string().optional()),
  DATABASE_URL: optionalText,
  REDIS_URL: optionalText,
  REALITYCHECK_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(CONFIG_DEFAULTS.dataDir)),
  REALITYCHECK_ADMIN_KEY: optionalText,
  REALITYCHECK_UPLOAD_SECRET: optionalText,
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  UPLOAD_MAX_BYTES: positiveInt(CONFIG_DEFAULTS.uploadMaxBytes),
  MULTIPART_MAX_BYTES: positiveInt(CONFIG_DEFAULTS.multipartMaxBytes),
  UPLOAD_MAX_CONCURRENT: positiveInt(CONFIG_DEFAULTS.uploadMaxConcurrent),
  BLOCK_BYTES: positiveInt(CONFIG_DEFAULTS.blockBytes),
  MAX_COLUMNS: positiveInt(CONFIG_DEFAULTS.maxColumns),
  MAX_RECORD_BYTES: positiveInt(CONFIG_DEFAULTS.maxRecordBytes),
  UPLOAD_URL_TTL_SECONDS: positiveInt(CONFIG_DEFAULTS.uploadUrlTtlSeconds),
  UPLOAD_LEASE_SECONDS: positiveInt(CONFIG_DEFAULTS.uploadLeaseSeconds),
  DATABASE_POOL_SIZE: positiveInt(CONFIG_DEFAULTS.databasePoolSize),
  GRAPHQL_MAX_DEPTH: positiveInt(CONFIG_DEFAULTS.maxQueryDepth),
  GRAPHQL_MAX_ALIASES: positiveInt(CONFIG_DEFAULTS.maxQueryAliases),
  GRAPHQL_MAX_TOKENS: positiveInt(CONFIG_DEFAULTS.maxQueryTokens),
  GRAPHQL_MAX_COST: positiveInt(CONFIG_DEFAULTS.maxQueryCost),
  GRAPHQL_MAX_FIELDS: positiveInt(CONFIG_DEFAULTS.maxQueryFields),
  GRAPHQL_MAX_DIRECTIVES: positiveInt(CONFIG_DEFAULTS.maxQueryDirectives),
  GRAPHQL_MAX_BODY_BYTES: positiveInt(CONFIG_DEFAULTS.maxRequestBytes),
  CORS_ORIGINS: originList,
  RATE_LIMIT_UPLOADS_PER_MINUTE: nonNegativeInt(CONFIG_DEFAULTS.rateLimitUploadsPerMinute),
  RATE_LIMIT_QUERY_COST_PER_MINUTE: nonNegativeInt(CONFIG_DEFAULTS.rateLimitQueryCostPerMinute),
  METRICS_TOKEN: optionalText,
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default(CONFIG_DEFAULTS.logLevel)),
  // Queues and workers.
  REDIS_CLUSTER: z.preprocess(emptyAsUndefined, z.enum(['0', '1', 'true', 'false']).default('0')),
  QUEUE_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^[^\s:]+$/, 'no spaces or colons').default(JOBS.queuePrefix)),
  WORKER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().max(256).optional()),
  WORKER_LOCK_DURATION_MS: positiveInt(JOBS.lockDurationMs),
  WORKER_STALLED_INTERVAL_MS: positiveInt(JOBS.stalledIntervalMs),
  WORKER_MAX_STALLED_COUNT: positiveInt(JOBS.maxStalledCount),
  JOB_ATTEMPTS: positiveInt(JOBS.attempts),
  JOB_BACKOFF_MS: positiveInt(JOBS.backoffMs),
  WORKER_SHUTDOWN_TIMEOUT_MS: positiveInt(JOBS.shutdownTimeoutMs),
  RETENTION_INTERVAL_MS: positiveInt(JOBS.retentionIntervalMs),
  RECONCILE_INTERVAL_MS: positiveInt(JOBS.reconcileIntervalMs),
  RECONCILE_GRACE_MS: positiveInt(JOBS.reconcileGraceMs),
  WORKER_THREAD_HEAP_MAX_MB: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(64).default(JOBS.threadHeapMaxMb)),
  WORKER_METRICS_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65_535).optional()),
});

/**
 * Wraps a key prefix in a Redis Cluster hash tag unless it already has one: BullMQ's flows run
 * multi-key scripts over the keys of several queues, which Redis Cluster accepts only when they
 * hash to one slot.
 *
 * @example
 * hashTagPrefix('rc') // '{rc}'
 * hashTagPrefix('{rc}') // '{rc}'
 */
export function hashTagPrefix(prefix: string): string {
  return /\{[^{}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

/** Defaults a command sets instead of {@link CONFIG_DEFAULTS}; the environment still wins. */
export interface CommandDefaults {
  /** Interface to listen on when HOST is unset. */
  readonly host?: string;
}

/**
 * Parses the environment into a {@link Config}. `overrides` replace what the environment says;
 * `defaults` only fill in what it leaves unset.
 *
 * @example
 * const config = loadConfig(process.env);
 * const config = loadConfig({ DATABASE_URL: 'postgres://localhost/rc', PORT: '0' });
 * const config = loadConfig(process.env, {}, { host: CONFIG_DEFAULTS.serviceHost });
 * const jobs = loadConfig({ REDIS_URL: 'redis://localhost:6379', WORKER_CONCURRENCY: '4' }).jobs;
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}, defaults: CommandDefaults = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid environment: ${problems}`);
  }
  const e = parsed.data;
  const { jobs: jobsOverrides, ...settingOverrides } = overrides;
  const jobs: JobsConfig = Object.freeze({
    redisUrl: e.REDIS_URL,
    redisCluster: e.REDIS_CLUSTER === '1' || e.REDIS_CLUSTER === 'true',
    queuePrefix: hashTagPrefix(e.QUEUE_PREFIX),
    concurrency: e.WORKER_CONCURRENCY ?? availableParallelism(),
    lockDurationMs: e.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: e.WORKER_MAX_STALLED_COUNT,
    attempts: e.JOB_ATTEMPTS,
    backoffMs: e.JOB_BACKOFF_MS,
    backoffJitter: JOBS.backoffJitter,
    shutdownTimeoutMs: e.WORKER_SHUTDOWN_TIMEOUT_MS,
    retentionIntervalMs: e.RETENTION_INTERVAL_MS,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    reconcileGraceMs: e.RECONCILE_GRACE_MS,
    threadHeapMaxMb: e.WORKER_THREAD_HEAP_MAX_MB,
    metricsPort: e.WORKER_METRICS_PORT,
    ...jobsOverrides,
  });
  return Object.freeze({
    port: e.PORT,
    host: e.HOST ?? defaults.host ?? CONFIG_DEFAULTS.host,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.REALITYCHECK_DATA_DIR),
    adminKey: e.REALITYCHECK_ADMIN_KEY,
    uploadSecret: e.REALITYCHECK_UPLOAD_SECRET,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    multipartMaxBytes: e.MULTIPART_MAX_BYTES,
    uploadMaxConcurrent: e.UPLOAD_MAX_CONCURRENT,
    blockBytes: e.BLOCK_BYTES,
    maxColumns: e.MAX_COLUMNS,
    maxRecordBytes: e.MAX_RECORD_BYTES,
    uploadUrlTtlSeconds: e.UPLOAD_URL_TTL_SECONDS,
    uploadLeaseSeconds: e.UPLOAD_LEASE_SECONDS,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    maxQueryDepth: e.GRAPHQL_MAX_DEPTH,
    maxQueryAliases: e.GRAPHQL_MAX_ALIASES,
    maxQueryTokens: e.GRAPHQL_MAX_TOKENS,
    maxQueryCost: e.GRAPHQL_MAX_COST,
    maxQueryFields: e.GRAPHQL_MAX_FIELDS,
    maxQueryDirectives: e.GRAPHQL_MAX_DIRECTIVES,
    maxRequestBytes: e.GRAPHQL_MAX_BODY_BYTES,
    corsOrigins: Object.freeze([...new Set(e.CORS_ORIGINS)]),
    rateLimitUploadsPerMinute: e.RATE_LIMIT_UPLOADS_PER_MINUTE,
    rateLimitQueryCostPerMinute: e.RATE_LIMIT_QUERY_COST_PER_MINUTE,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    jobs,
    ...settingOverrides,
  });
}

/** Formats a byte count for messages: `25 MiB`, `1.5 GiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
