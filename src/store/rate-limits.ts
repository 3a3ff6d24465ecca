// Redis-backed fixed-window rate limits, shared by every API process.
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';

export interface Limit {
  bucket: string;
  limit: number;
  windowSeconds: number;
}

export interface LimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

export class RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => Date,
  ) {}

  /** Whether the window still has room, without counting a hit. */
  async peek(limit: Limit, id: string): Promise<LimitResult> {
    const window = Math.floor(this.now().getTime() / 1000 / limit.windowSeconds);
    const key = keys.rateLimit(limit.bucket, id, window);
    const [[, count], [, ttl]] = (await this.redis.multi().get(key).ttl(key).exec()) as [
      [null, string | null],
      [null, number],
    ];
    return { allowed: Number(count ?? 0) < limit.limit, retryAfterSeconds: Math.max(1, ttl) };
  }

  async hit(limit: Limit, id: string): Promise<LimitResult> {
    const window = Math.floor(this.now().getTime() / 1000 / limit.windowSeconds);
    const [allowed, , ttl] = await runScript<[number, number, number]>(
      this.redis,
      'rateLimit',
      [keys.rateLimit(limit.bucket, id, window)],
      [limit.limit, limit.windowSeconds],
    );
    return { allowed: allowed === 1, retryAfterSeconds: Math.max(1, ttl) };
  }
}
