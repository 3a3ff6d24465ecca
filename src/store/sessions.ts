// Server-side sessions behind an opaque cookie, each with its own CSRF token.
import { newToken, tokenHash } from '../auth/tokens.ts';
import type { RedisClient } from '../redis/connection.ts';

export interface SessionRecord {
  csrf: string;
  [field: string]: string;
}

export class SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (hash: string) => string,
    readonly ttlSeconds: number,
  ) {}

  /** A new id every time: sign-in always rotates the session (no fixation). */
  async create(data: Record<string, string>): Promise<{ sid: string; csrf: string }> {
    const sid = newToken();
    const csrf = newToken(18);
    const key = this.keyOf(tokenHash(sid));
    await this.redis
      .multi()
      .hset(key, { ...data, csrf })
      .expire(key, this.ttlSeconds)
      .exec();
    return { sid, csrf };
  }

  async get(sid: string): Promise<SessionRecord | null> {
    if (sid.length < 20 || sid.length > 100) return null;
    const h = await this.redis.hgetall(this.keyOf(tokenHash(sid)));
    return h.csrf ? (h as SessionRecord) : null;
  }

  async destroy(sid: string): Promise<void> {
    await this.redis.del(this.keyOf(tokenHash(sid)));
  }
}
