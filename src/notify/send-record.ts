// The send record of one message: the single source of truth for "has this been sent". A try claims the
// record with a lease before calling the provider and marks it sent the moment the provider accepts, so
//  - a retry, a duplicate job or a second worker finds 'sent' and does nothing;
//  - while one try is talking to the provider, another finds an unexpired lease and waits for its outcome;
//  - only a process that dies after the provider accepted and before the record says 'sent' leaves an
//    unknown outcome: after the lease the message is sent again with the same provider reference, and
//    only a provider that deduplicates on it can drop that copy. That window is a few milliseconds wide.
// Leases use the wall clock, not deps.now: they measure how long a real network call may still be running.
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';

export type SendState = 'sending' | 'retrying' | 'sent' | 'failed';

export interface SendRecord {
  state: SendState;
  attempts: number;
  channel: string | null;
  providerId: string | null;
  sentAt: string | null;
  lastError: string | null;
  segments: number | null;
}

export type Claim =
  | { kind: 'claimed'; owner: string; attempt: number; previous: SendState | null }
  | { kind: 'done'; state: 'sent' | 'failed' }
  | { kind: 'busy'; leaseUntil: number };

/** Long enough that no idempotency key is reused for a new event; short enough not to grow forever. */
const RECORD_TTL_MS = 90 * 24 * 3600_000;

const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'sent' or state == 'failed' then return {state, 0, ''} end
if state == 'sending' then
  local lease = tonumber(redis.call('HGET', KEYS[1], 'leaseUntil') or '0')
  if lease > tonumber(ARGV[1]) then return {'busy', lease, ''} end
end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'sending', 'leaseUntil', tonumber(ARGV[1]) + tonumber(ARGV[2]),
  'owner', ARGV[3], 'channel', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {'claimed', attempts, state or ''}
`;

// A late 'sent' overrides anything but an earlier 'sent': the provider did accept this copy.
const MARK_SENT = `
if redis.call('HGET', KEYS[1], 'state') == 'sent' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'sent', 'providerId', ARGV[1], 'sentAt', ARGV[2], 'segments', ARGV[3])
redis.call('HDEL', KEYS[1], 'leaseUntil', 'owner', 'lastError')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

// Only the try holding the lease may release it; a stale try must not free a lease someone else holds.
const MARK_RETRYING = `
if redis.call('HGET', KEYS[1], 'state') ~= 'sending' or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'retrying', 'lastError', ARGV[2])
redis.call('HDEL', KEYS[1], 'leaseUntil', 'owner')
return 1
`;

const MARK_FAILED = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'sent' or state == 'failed' then return 0 end
if state == 'sending' and redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'failed', 'lastError', ARGV[2], 'failedAt', ARGV[3])
redis.call('HDEL', KEYS[1], 'leaseUntil', 'owner')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

export class SendRecords {
  constructor(private readonly redis: RedisClient) {}

  async get(idKey: string): Promise<SendRecord | null> {
    const h = await this.redis.hgetall(keys.notification(idKey));
    if (!h.state) return null;
    return {
      state: h.state as SendState,
      attempts: Number(h.attempts ?? 0),
      channel: h.channel ?? null,
      providerId: h.providerId || null,
      sentAt: h.sentAt || null,
      lastError: h.lastError ?? null,
      segments: h.segments ? Number(h.segments) : null,
    };
  }

  async claim(idKey: string, channel: string, leaseMs: number): Promise<Claim> {
    const owner = randomUUID();
    const [kind, n, previous] = (await this.redis.eval(
      CLAIM,
      1,
      keys.notification(idKey),
      Date.now(),
      leaseMs,
      owner,
      channel,
      RECORD_TTL_MS,
    )) as [string, number, string];
    if (kind === 'busy') return { kind: 'busy', leaseUntil: Number(n) };
    if (kind === 'sent' || kind === 'failed') return { kind: 'done', state: kind };
    return { kind: 'claimed', owner, attempt: Number(n), previous: (previous || null) as SendState | null };
  }

  /** True if this call recorded the send (false: an earlier try already had). */
  async markSent(idKey: string, providerId: string | null, sentAt: Date, segments: number | null) {
    const r = await this.redis.eval(
      MARK_SENT,
      1,
      keys.notification(idKey),
      providerId ?? '',
      sentAt.toISOString(),
      segments ?? '',
      RECORD_TTL_MS,
    );
    return r === 1;
  }

  async markRetrying(idKey: string, owner: string, error: string): Promise<void> {
    await this.redis.eval(MARK_RETRYING, 1, keys.notification(idKey), owner, error);
  }

  /** True if this call recorded the failure. owner '' for failures found before any claim. */
  async markFailed(idKey: string, owner: string, error: string, at: Date): Promise<boolean> {
    const r = await this.redis.eval(
      MARK_FAILED,
      1,
      keys.notification(idKey),
      owner,
      error,
      at.toISOString(),
      RECORD_TTL_MS,
    );
    return r === 1;
  }
}
