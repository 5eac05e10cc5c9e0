import { Cluster, type Redis } from 'ioredis';
import { RedisEvictionPolicyError } from './redis-eviction-policy-error.js';

/**
 * Reads `maxmemory_policy` from `INFO memory` (which managed Redis services allow even where
 * `CONFIG GET` is disabled). Returns undefined when the server does not report it.
 */
export async function readEvictionPolicy(client: Redis): Promise<string | undefined> {
  const info = await client.info('memory');
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

/**
 * Refuses a Redis (every master of a cluster) whose `maxmemory-policy` is not `noeviction`.
 *
 * @throws RedisEvictionPolicyError naming the policy found and what to change.
 */
export async function assertNoEviction(client: Redis | Cluster, describe: (node: Redis) => string): Promise<void> {
  const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    const policy = await readEvictionPolicy(node);
    if (policy !== undefined && policy !== 'noeviction') throw new RedisEvictionPolicyError(policy, describe(node));
  }
}
