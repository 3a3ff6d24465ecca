// The send record of one message: the single source of truth for "has this been sent". A try claims the
// record with a lease before calling the provider and marks it sent the moment the provider accepts, so
//  - a retry, a duplicate job or a second worker finds 'sent' and does nothing;
//  - while one try is talking to the provider, another finds an unexpired lease and waits for its outcome;
//  - only a process that dies after the provider accepted and before the record says 'sent' leaves an
//    unknown outcome. For the outbox the next try looks in the file first (outbox-ledger.ts) and records
//    the line it finds instead of writing another: exactly once. For SMS and e-mail the message is sent
//    again after the lease with the same provider reference (Idempotency-Key, Message-ID), and only a
//    provider that deduplicates on it drops that copy. That window is a few milliseconds wide per message.
// Leases use the wall clock, not deps.now: they measure how long a real network call may still be running.
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';

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
  | {
      kind: 'claimed';
      owner: string;
      attempt: number;
      previous: SendState | null;
      /** When the previous try claimed the message (ms, wall clock); 0 if none or unknown. */
      previousClaimAt: number;
    }
  | { kind: 'done'; state: 'sent' | 'failed' }
  | { kind: 'busy'; leaseUntil: number };

/** Long enough that no idempotency key is reused for a new event; short enough not to grow forever. */
const RECORD_TTL_MS = 90 * 24 * 3600_000;

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
    const [kind, n, previous, previousClaimAt] = await runScript<[string, number, string, number]>(
      this.redis,
      'sendClaim',
      [keys.notification(idKey)],
      [Date.now(), leaseMs, owner, channel, RECORD_TTL_MS],
    );
    if (kind === 'busy') return { kind: 'busy', leaseUntil: Number(n) };
    if (kind === 'sent' || kind === 'failed') return { kind: 'done', state: kind };
    return {
      kind: 'claimed',
      owner,
      attempt: Number(n),
      previous: (previous || null) as SendState | null,
      previousClaimAt: Number(previousClaimAt ?? 0),
    };
  }

  /** True if this call recorded the send (false: an earlier try already had). */
  async markSent(idKey: string, providerId: string | null, sentAt: Date, segments: number | null) {
    const r = await runScript<number>(
      this.redis,
      'sendMarkSent',
      [keys.notification(idKey)],
      [providerId ?? '', sentAt.toISOString(), segments ?? '', RECORD_TTL_MS],
    );
    return r === 1;
  }

  async markRetrying(idKey: string, owner: string, error: string): Promise<void> {
    await runScript(this.redis, 'sendMarkRetrying', [keys.notification(idKey)], [owner, error]);
  }

  /** True if this call recorded the failure. owner '' for failures found before any claim. */
  async markFailed(idKey: string, owner: string, error: string, at: Date): Promise<boolean> {
    const r = await runScript<number>(
      this.redis,
      'sendMarkFailed',
      [keys.notification(idKey)],
      [owner, error, at.toISOString(), RECORD_TTL_MS],
    );
    return r === 1;
  }
}
