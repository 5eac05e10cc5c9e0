/**
 * Redis is configured to evict keys under memory pressure. BullMQ keeps jobs, locks and flow
 * dependencies in Redis keys; an evicted key loses or duplicates work without any error, so
 * realitycheck refuses to start on such a Redis.
 */
export class RedisEvictionPolicyError extends Error {
  override readonly name = 'RedisEvictionPolicyError';

  constructor(
    readonly policy: string,
    readonly server: string,
  ) {
    super(
      `Redis at ${server} has maxmemory-policy '${policy}', but realitycheck needs 'noeviction': with any other policy ` +
        'Redis deletes keys when it runs short of memory, and the queue keys it would delete (jobs, locks, the links of a ' +
        'flow) silently lose or repeat profiling work. Set "maxmemory-policy noeviction" (redis.conf, CONFIG SET, or your ' +
        "provider's parameter group) and start again.",
    );
  }
}
