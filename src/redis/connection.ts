// ioredis factory for a single node or a cluster. The same code runs on both because every multi-key
// operation stays inside one hash tag (src/redis/keys.ts).
import { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface ConnectOptions {
  /** BullMQ workers need blocking commands to wait forever. */
  forBullmq?: boolean;
  /** API connections fail fast so a Redis outage becomes a 503, not a hung request. */
  failFast?: boolean;
}

export function createRedis(url: string, opts: ConnectOptions = {}): RedisClient {
  const common = {
    maxRetriesPerRequest: opts.forBullmq ? null : opts.failFast ? 1 : 3,
    enableOfflineQueue: !opts.failFast,
    lazyConnect: false,
  };
  if (url.startsWith('redis+cluster://')) {
    const nodes = url
      .slice('redis+cluster://'.length)
      .split(',')
      .map((hp) => {
        const [host, port] = hp.split(':');
        return { host: host || '127.0.0.1', port: Number(port) || 6379 };
      });
    return new Cluster(nodes, { redisOptions: common, enableOfflineQueue: common.enableOfflineQueue });
  }
  return new Redis(url, common);
}

/** Resolves once the client can take commands (fail-fast clients reject commands until then). */
export function waitReady(redis: RedisClient, timeoutMs = 15_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis did not become ready in time')), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
