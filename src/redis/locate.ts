// Finds the store a CLI must use: the one the running server uses. REDIS_URL when set (it must hold a
// fairslot store), else the embedded redis-server that `npm start` recorded in DATA_DIR/redis.port (it must
// answer and serve that very directory). Anything else is refused with a message that says how to fix it:
// a CLI that quietly started its own Redis would write where the server never looks. Only an explicit
// `--init` creates a store, or opens a stopped server's data with a private embedded Redis.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { createRedis, type RedisClient, waitReady } from './connection.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from './embedded.ts';
import { keys } from './keys.ts';

const portFile = (dataDir: string) => path.resolve(dataDir, 'redis.port');

export function recordEmbeddedPort(dataDir: string, port: number): void {
  writeFileSync(portFile(dataDir), String(port));
}

export function forgetEmbeddedPort(dataDir: string): void {
  rmSync(portFile(dataDir), { force: true });
}

/** Marks a Redis as a fairslot store; the server calls this on every start (SET NX keeps the first date). */
export async function markStore(redis: RedisClient, at: Date): Promise<void> {
  await redis.set(keys.store(), at.toISOString(), 'NX');
}

export class StoreNotFoundError extends Error {}

export interface LocatedStore {
  url: string;
  redis: RedisClient;
  /** Set when `--init` started a private redis-server; stop it when done. */
  embedded: EmbeddedRedis | null;
  close(): Promise<void>;
}

const HOW =
  'start the server first (npm start) or pass DATA_DIR=… / REDIS_URL=… as the server has them, or --init to create a new store';

async function connect(url: string, timeoutMs: number): Promise<RedisClient | null> {
  const redis = createRedis(url, { failFast: true });
  try {
    await waitReady(redis, timeoutMs);
    return redis;
  } catch {
    redis.disconnect();
    return null;
  }
}

/** The Redis behind DATA_DIR/redis.port, if it answers and serves that directory. */
async function runningEmbedded(dataDir: string): Promise<RedisClient | null> {
  let port: number;
  try {
    port = Number(readFileSync(portFile(dataDir), 'utf8'));
  } catch {
    return null;
  }
  if (!(port > 0)) return null;
  const redis = await connect(`redis://127.0.0.1:${port}`, 2_000);
  if (!redis) return null;
  // A stale port file may name a port some other Redis took since: it must serve this very directory.
  const dir = (await (redis as Redis).config('GET', 'dir').catch(() => [])) as string[];
  if (dir[1] !== path.resolve(dataDir)) {
    redis.disconnect();
    return null;
  }
  return redis;
}

export async function locateStore(
  config: Config,
  opts: { init?: boolean; now?: Date } = {},
): Promise<LocatedStore> {
  const done = (url: string, redis: RedisClient, embedded: EmbeddedRedis | null): LocatedStore => ({
    url,
    redis,
    embedded,
    async close() {
      redis.disconnect();
      await embedded?.stop();
    },
  });
  const checkMarked = async (redis: RedisClient, where: string) => {
    if (opts.init) await markStore(redis, opts.now ?? new Date());
    else if (!(await redis.exists(keys.store()))) {
      redis.disconnect();
      throw new StoreNotFoundError(`${where} holds no fairslot store; ${HOW}`);
    }
  };

  if (config.REDIS_URL) {
    const redis = await connect(config.REDIS_URL, 5_000);
    if (!redis) throw new StoreNotFoundError(`cannot reach REDIS_URL ${config.REDIS_URL}; is Redis running?`);
    await checkMarked(redis, `REDIS_URL ${config.REDIS_URL}`);
    return done(config.REDIS_URL, redis, null);
  }
  const dataDir = path.resolve(config.DATA_DIR);
  const running = await runningEmbedded(dataDir);
  if (running) {
    const url = `redis://127.0.0.1:${Number(readFileSync(portFile(dataDir), 'utf8'))}`;
    await checkMarked(running, `the Redis serving ${config.DATA_DIR}`);
    return done(url, running, null);
  }
  if (!opts.init) {
    const hasData = existsSync(path.join(dataDir, 'appendonlydir'));
    throw new StoreNotFoundError(
      hasData
        ? `no fairslot server is running on ${config.DATA_DIR} (its data is there, but nothing serves it); ${HOW}`
        : `no fairslot store at ${config.DATA_DIR}; ${HOW}`,
    );
  }
  // --init: two redis-servers must never share one AOF, and none runs here (checked above).
  const embedded = await startEmbeddedRedis({ dataDir, bin: config.REDIS_SERVER_BIN });
  const redis = createRedis(embedded.url, { failFast: true });
  await waitReady(redis);
  await markStore(redis, opts.now ?? new Date());
  return done(embedded.url, redis, embedded);
}
