// Per-account delivery log: what was sent to the applicant, by which channel, and what became of it.
// Never the text or the address: the log is shown in the admin console, and message texts carry codes.
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';

export interface Delivery {
  id: string;
  template: string;
  channel: string;
  state: 'sent' | 'failed';
  at: string;
  error?: string;
}

/** An applicant cares about recent messages; older ones stay in the send records until they expire. */
export const DELIVERY_LOG_LENGTH = 100;

export class DeliveryLog {
  constructor(private readonly redis: RedisClient) {}

  async add(accountId: string, d: Delivery): Promise<void> {
    const key = keys.accountDeliveries(accountId);
    // Trimmed only once the list is longer than kept, which most applicants never reach: one command per
    // message instead of a MULTI of four. A trim lost to a crash is done by the next add.
    const length = await this.redis.lpush(key, JSON.stringify(d));
    if (length > DELIVERY_LOG_LENGTH) await this.redis.ltrim(key, 0, DELIVERY_LOG_LENGTH - 1);
  }

  /** Takes back an entry add() wrote with the same fields. */
  async remove(accountId: string, d: Delivery): Promise<void> {
    await this.redis.lrem(keys.accountDeliveries(accountId), 1, JSON.stringify(d));
  }

  /** Newest first. */
  async list(accountId: string, limit = DELIVERY_LOG_LENGTH): Promise<Delivery[]> {
    const rows = await this.redis.lrange(keys.accountDeliveries(accountId), 0, limit - 1);
    return rows.map((r) => JSON.parse(r) as Delivery);
  }
}
