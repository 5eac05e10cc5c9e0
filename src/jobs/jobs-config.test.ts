import { describe, expect, it } from 'vitest';
import { hashTagPrefix, JobsConfigError, loadJobsConfig } from './jobs-config.js';

describe('loadJobsConfig', () => {
  it('selects Redis only when REDIS_URL is set', () => {
    expect(loadJobsConfig({}).redisUrl).toBeUndefined();
    expect(loadJobsConfig({ REDIS_URL: '' }).redisUrl).toBeUndefined();
    expect(loadJobsConfig({ REDIS_URL: 'redis://cache:6379' }).redisUrl).toBe('redis://cache:6379');
  });

  it('hash-tags the key prefix so a flow stays in one Redis Cluster slot', () => {
    expect(loadJobsConfig({}).queuePrefix).toBe('{rc}');
    expect(loadJobsConfig({ QUEUE_PREFIX: 'team-a' }).queuePrefix).toBe('{team-a}');
    expect(hashTagPrefix('{rc}')).toBe('{rc}');
    expect(hashTagPrefix('app{rc}')).toBe('app{rc}');
  });

  it('reads worker settings and names the variable that does not parse', () => {
    const config = loadJobsConfig({ WORKER_CONCURRENCY: '3', JOB_ATTEMPTS: '7', WORKER_SHUTDOWN_TIMEOUT_MS: '1000' });
    expect(config).toMatchObject({ concurrency: 3, attempts: 7, shutdownTimeoutMs: 1000 });
    expect(() => loadJobsConfig({ WORKER_CONCURRENCY: 'many' })).toThrow(JobsConfigError);
    expect(() => loadJobsConfig({ WORKER_CONCURRENCY: 'many' })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => loadJobsConfig({ QUEUE_PREFIX: 'a:b' })).toThrow(/QUEUE_PREFIX/);
    expect(loadJobsConfig({}).metricsPort).toBeUndefined();
    expect(loadJobsConfig({ WORKER_METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(() => loadJobsConfig({ WORKER_METRICS_PORT: '70000' })).toThrow(/WORKER_METRICS_PORT/);
  });
});
