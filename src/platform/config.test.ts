import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, ConfigError, formatBytes, hashTagPrefix, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: undefined,
      dataDir: path.resolve('./.realitycheck'),
      multipartMaxBytes: 25 * 1024 * 1024,
      blockBytes: 8 * 1024 * 1024,
      maxColumns: 1000,
      maxRecordBytes: 16 * 1024 * 1024,
      logLevel: 'info',
    });
  });

  it('listens on 127.0.0.1 unless HOST or the command says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({}, {}, { host: CONFIG_DEFAULTS.serviceHost }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '127.0.0.1' }, {}, { host: CONFIG_DEFAULTS.serviceHost }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
  });

  it('reads the environment, treating empty values as unset', () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: 'postgres://x/y', MAX_COLUMNS: '20', REALITYCHECK_ADMIN_KEY: '', PUBLIC_URL: 'https://rc.example.com/' });
    expect(config).toMatchObject({ port: 0, databaseUrl: 'postgres://x/y', maxColumns: 20, adminKey: undefined, publicUrl: 'https://rc.example.com' });
  });

  it('reads CORS origins, rate limits and the metrics token; no origin and a limit on by default', () => {
    expect(loadConfig({})).toMatchObject({ corsOrigins: [], rateLimitUploadsPerMinute: 30, rateLimitQueryCostPerMinute: 500_000, metricsToken: undefined });
    const config = loadConfig({
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/ ,https://app.example.com',
      RATE_LIMIT_UPLOADS_PER_MINUTE: '0',
      METRICS_TOKEN: 'm-token',
    });
    expect(config).toMatchObject({ corsOrigins: ['https://app.example.com', 'http://localhost:5173'], rateLimitUploadsPerMinute: 0, metricsToken: 'm-token' });
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(/CORS_ORIGINS.*not an origin/);
    expect(() => loadConfig({ CORS_ORIGINS: 'app.example.com' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ RATE_LIMIT_QUERY_COST_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_QUERY_COST_PER_MINUTE/);
  });

  it('names the variable that does not parse', () => {
    expect(() => loadConfig({ MAX_COLUMNS: 'many' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAX_COLUMNS: 'many' })).toThrow(/MAX_COLUMNS/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
});

it('formats byte counts for messages', () => {
  expect(formatBytes(512)).toBe('512 bytes');
  expect(formatBytes(25 * 1024 * 1024)).toBe('25 MiB');
  expect(formatBytes(1.5 * 1024 * 1024 * 1024)).toBe('1.5 GiB');
});

describe('loadConfig: the jobs section', () => {
  const loadJobs = (env: NodeJS.ProcessEnv) => loadConfig(env).jobs;

  it('selects Redis only when REDIS_URL is set', () => {
    expect(loadJobs({}).redisUrl).toBeUndefined();
    expect(loadJobs({ REDIS_URL: '' }).redisUrl).toBeUndefined();
    expect(loadJobs({ REDIS_URL: 'redis://cache:6379' }).redisUrl).toBe('redis://cache:6379');
  });

  it('hash-tags the key prefix so a flow stays in one Redis Cluster slot', () => {
    expect(loadJobs({}).queuePrefix).toBe('{rc}');
    expect(loadJobs({ QUEUE_PREFIX: 'team-a' }).queuePrefix).toBe('{team-a}');
    expect(hashTagPrefix('{rc}')).toBe('{rc}');
    expect(hashTagPrefix('app{rc}')).toBe('app{rc}');
  });

  it('reads worker settings and names the variable that does not parse', () => {
    const config = loadJobs({ WORKER_CONCURRENCY: '3', JOB_ATTEMPTS: '7', WORKER_SHUTDOWN_TIMEOUT_MS: '1000' });
    expect(config).toMatchObject({ concurrency: 3, attempts: 7, shutdownTimeoutMs: 1000 });
    expect(() => loadJobs({ WORKER_CONCURRENCY: 'many' })).toThrow(ConfigError);
    expect(() => loadJobs({ WORKER_CONCURRENCY: 'many' })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => loadJobs({ QUEUE_PREFIX: 'a:b' })).toThrow(/QUEUE_PREFIX/);
    expect(loadJobs({}).metricsPort).toBeUndefined();
    expect(loadJobs({ WORKER_METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(() => loadJobs({ WORKER_METRICS_PORT: '70000' })).toThrow(/WORKER_METRICS_PORT/);
  });

  it('takes overrides of single jobs settings and keeps the rest from the environment', () => {
    const config = loadConfig({ JOB_ATTEMPTS: '7' }, { port: 0, jobs: { concurrency: 2 } });
    expect(config.port).toBe(0);
    expect(config.jobs).toMatchObject({ concurrency: 2, attempts: 7, queuePrefix: '{rc}' });
  });
});
