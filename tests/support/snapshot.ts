// Every key of a (single) Redis with its value, to prove a refused request changed nothing. Counters
// whose job is to count requests, refused ones included, are left out by the caller's filter.
import type { RedisClient } from '../../src/redis/connection.ts';

export async function snapshot(
  redis: RedisClient,
  skip: (key: string) => boolean = () => false,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, batch] = (await (redis as any).scan(cursor, 'COUNT', 1000)) as [string, string[]];
    cursor = next;
    for (const key of batch) {
      if (skip(key)) continue;
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'set') value = (await redis.smembers(key)).sort();
      else if (type === 'zset') value = await (redis as any).zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      out.set(key, JSON.stringify(value));
    }
  } while (cursor !== '0');
  return out;
}

/** "added k", "changed k", "removed k" for every difference. */
export function snapshotDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [k, v] of after)
    if (before.get(k) !== v) changes.push(`${before.has(k) ? 'changed' : 'added'} ${k}`);
  for (const k of before.keys()) if (!after.has(k)) changes.push(`removed ${k}`);
  return changes;
}

/** Rate-limit counters (fs:rl:*, an account's fs:{a:ID}:rl:*): they count every request by design. */
export const isRateCounter = (key: string): boolean =>
  key.startsWith('fs:rl:') || /^fs:\{a:[^}]+\}:rl:/.test(key);
