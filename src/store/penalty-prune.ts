// Expired no-show penalties are dead weight in the one hash every draw reads in full; the hourly
// maintenance job removes them.
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';

const SCAN_COUNT = 1000;

/** Removes penalties that ended at or before nowMs; returns how many went. */
export async function pruneExpiredPenalties(redis: RedisClient, nowMs: number): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, flat] = await redis.hscan(keys.penalties(), cursor, 'COUNT', SCAN_COUNT);
    cursor = next;
    const expired: string[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      if (Number(flat[i + 1]) <= nowMs) expired.push(flat[i]!);
    }
    if (expired.length > 0) {
      removed += await runScript<number>(redis, 'penaltyPrune', [keys.penalties()], [nowMs, ...expired]);
    }
  } while (cursor !== '0');
  return removed;
}
