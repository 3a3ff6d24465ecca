// Abuse flags: why an account looks like a broker or a bot, with evidence an admin can act on.
import { nanoid } from 'nanoid';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';

export type FlagReason =
  | 'nik_conflict'
  | 'household_limit'
  | 'ip_many_accounts'
  | 'failed_codes'
  | 'implausible_claims'
  | 'identity_no_match';

export interface Flag {
  id: string;
  at: string;
  accountId: string | null;
  reason: FlagReason;
  evidence: Record<string, string | number>;
}

export function flagRecord(
  reason: FlagReason,
  accountId: string | null,
  evidence: Flag['evidence'],
  at: Date,
): Flag {
  return { id: nanoid(12), at: at.toISOString(), accountId, reason, evidence };
}

export class FlagStore {
  constructor(private readonly redis: RedisClient) {}

  async add(flag: Flag): Promise<void> {
    await this.redis.rpush(keys.flags(), JSON.stringify(flag));
  }

  /** Newest first. */
  async list(limit = 200, offset = 0): Promise<{ flags: Flag[]; total: number }> {
    const total = await this.redis.llen(keys.flags());
    const end = -1 - offset;
    const start = end - limit + 1;
    const raw = await this.redis.lrange(keys.flags(), start, end);
    return { flags: raw.map((r) => JSON.parse(r) as Flag).reverse(), total };
  }
}
