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

/**
 * Upper bound on one command of a fail-fast client. A Redis that stops answering but keeps its socket open
 * (a hung or paused server, a network partition without a reset) would otherwise hold every request
 * forever: no error, no reconnect. Generous next to normal latencies (the largest command, a draw's frozen
 * entry list, takes milliseconds); a timed-out draw step fails its job, which BullMQ retries idempotently.
 */
export const FAIL_FAST_COMMAND_TIMEOUT_MS = 3_000;

/**
 * Longest wait between two reconnect attempts. ioredis's default grows to 2 s, which after an outage of ten
 * seconds or more keeps an API process answering 503 for seconds after Redis is back; a refused connect
 * attempt costs next to nothing, so every process tries at least twice a second.
 */
export const RECONNECT_MAX_DELAY_MS = 500;

export function createRedis(url: string, opts: ConnectOptions = {}): RedisClient {
  const common = {
    retryStrategy: (times: number) => Math.min(times * 50, RECONNECT_MAX_DELAY_MS),
    maxRetriesPerRequest: opts.forBullmq ? null : opts.failFast ? 1 : 3,
    enableOfflineQueue: !opts.failFast,
    ...(opts.failFast ? { commandTimeout: FAIL_FAST_COMMAND_TIMEOUT_MS } : {}),
    lazyConnect: false,
    // Many concurrent requests each send a few commands: batching them per tick saves syscalls and
    // round trips under load. BullMQ's own connections keep their command order untouched.
    enableAutoPipelining: !opts.forBullmq,
  };
  if (url.startsWith('redis+cluster://')) {
    const nodes = url
      .slice('redis+cluster://'.length)
      .split(',')
      .map((hp) => {
        const [host, port] = hp.split(':');
        return { host: host || '127.0.0.1', port: Number(port) || 6379 };
      });
    return quiet(new Cluster(nodes, { redisOptions: common, enableOfflineQueue: common.enableOfflineQueue }));
  }
  return quiet(new Redis(url, common));
}

/**
 * Connection errors already surface where they matter (failing commands become 503s, /readyz, BullMQ
 * retries); without a listener ioredis would also print each reconnect attempt to stderr. Processes that
 * want them logged add their own listener (src/main.ts).
 */
function quiet<T extends RedisClient>(client: T): T {
  client.on('error', () => {});
  return client;
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
