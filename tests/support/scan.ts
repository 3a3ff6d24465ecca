// Reads every key and value of a Redis, to prove what is (not) stored.
import type { RedisClient } from '../../src/redis/connection.ts';

/** On a cluster, every master holds part of the keyspace. */
function masters(redis: RedisClient): any[] {
  return 'nodes' in redis && typeof (redis as any).nodes === 'function'
    ? (redis as any).nodes('master')
    : [redis];
}

export async function dumpRedis(redis: RedisClient): Promise<string> {
  const parts: string[] = [];
  for (const node of masters(redis)) await dumpNode(node, redis, parts);
  return parts.join('\n');
}

async function dumpNode(node: any, redis: RedisClient, parts: string[]): Promise<void> {
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of batch as string[]) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await (redis as any).zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
}

export async function keyCount(redis: RedisClient): Promise<number> {
  let n = 0;
  for (const node of masters(redis)) n += Number(await node.dbsize());
  return n;
}
