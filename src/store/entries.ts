// Entries in the waiting room: join, withdraw, void, and an account's own list.
import { createHash, randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { customAlphabet } from 'nanoid';
import type { RedisClient } from '../redis/connection.ts';
import { entryBucket, keys, TICKET_ALPHABET } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import {
  isAccountEntryField,
  packAccountEntry,
  packTime,
  statusCode,
  unpackAccountEntry,
} from './account-entry-codec.ts';
import { packEntry } from './entry-codec.ts';

/** Public ticket ids: random, so a ticket says nothing about who holds it or when it was made. */
export const newTicket = customAlphabet(TICKET_ALPHABET, 12);

export type EntryStatus = 'pending' | 'won' | 'waitlisted' | 'lost' | 'carried_over' | 'withdrawn' | 'void';

export interface AccountEntry {
  ticket: string;
  officeId: string;
  drawDate: string;
  targetDate: string;
  personId: string;
  prefs: string[] | null;
  status: EntryStatus;
  createdAt: string;
  endedAt?: string;
  /** Ticket of the entry this one was carried into after losing. */
  carriedTo?: string;
  /** Ticket this entry was carried from. */
  carriedFrom?: string;
}

export type JoinResult =
  | { ok: true; entry: AccountEntry; entryCount: number }
  | { ok: false; reason: 'duplicate'; ticket: string }
  | { ok: false; reason: 'active_elsewhere'; officeId: string; drawDate: string }
  | { ok: false; reason: 'draw_closed' }
  | { ok: false; reason: 'banned'; bannedUntil: Date }
  | { ok: false; reason: 'blocked' }
  | { ok: false; reason: 'single_use_taken' };

/** A key the join sets with SET NX EX, refusing when it exists: a proof of work used up by this join. */
export interface SingleUseMarker {
  key: string;
  ttlSeconds: number;
}

export interface JoinInput {
  accountId: string;
  personId: string;
  nikHash: string;
  category: string | null;
  officeId: string;
  drawDate: string;
  targetDate: string;
  prefs: string[] | null;
  losses?: number;
  /** Ticket of the lost entry this one continues. */
  carriedFrom?: string;
  /**
   * The caller read the account in this request and it was not blocked (the applicant middleware does),
   * so the first blocked check would only repeat it; the one after the entry is written still runs.
   */
  accountCheckedUnblocked?: boolean;
  /** Set as part of the join; a join whose marker is already set is refused and writes nothing else. */
  singleUse?: SingleUseMarker;
}

export interface EntryStoreOptions {
  /**
   * Join in one Lua script (entry-join-whole.lua) rather than in single-slot steps. Only a single Redis
   * server can: on Cluster the steps' keys live in different slots. Defaults to whichever the client is.
   */
  wholeJoin?: boolean;
}

/** A claim older than this with nothing behind it is left over from a crashed join. */
const STALE_CLAIM_MS = 60_000;

const DAY_MS = 86_400_000;
const epochDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
/** What a person's active slot points at: "officeId|drawDate|ticket" (lifecycle compares these). */
export const activePointer = (officeId: string, drawDate: string, ticket: string) =>
  `${officeId}|${drawDate}|${ticket}`;

/**
 * The pointer as the person's hash stores it (field `active`, before "@claimedAtMs"): the draw date as its
 * epoch day, "officeId|20423|ticket", five bytes less for every person holding an entry. A value that is
 * not a pointer with a date (a fence set while moving a person) is kept as it is.
 */
export function claimPointer(pointer: string): string {
  const [officeId, drawDate, ticket] = pointer.split('|');
  return drawDate !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(drawDate)
    ? `${officeId}|${epochDay(drawDate)}|${ticket}`
    : pointer;
}

function pointerOfClaim(stored: string): string {
  const [officeId, day, ticket] = stored.split('|');
  return day !== undefined && /^\d+$/.test(day)
    ? activePointer(officeId!, new Date(Number(day) * DAY_MS).toISOString().slice(0, 10), ticket ?? '')
    : stored;
}

export class EntryStore {
  private readonly seedCandidates = new Map<string, { seed: string; commitment: string }>();
  private readonly wholeJoin: boolean;

  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => Date,
    opts: EntryStoreOptions = {},
  ) {
    this.wholeJoin = opts.wholeJoin ?? !(redis instanceof Cluster);
  }

  /**
   * A join is three single-slot steps (after the single-use marker, if any), so it runs on Redis Cluster:
   * 1. claim the person's active slot (person slot: ban check, one active entry or appointment);
   * 2. add the entry to the office's open draw (office slot: draw open, one entry per person per draw),
   *    releasing the claim if refused;
   * 3. record it in the account's own list (account slot).
   * A crash after 1 leaves a claim with no entry; a later join finds it stale and clears it
   * (see releaseIfStale). A crash after 2 leaves an entry the account list lacks; the draw still counts it.
   * On a single Redis server the same steps run as one script (joinWhole), which leaves no half-join.
   */
  async join(input: JoinInput): Promise<JoinResult> {
    return this.wholeJoin ? this.joinWhole(input) : this.joinInSteps(input);
  }

  /**
   * The same steps in one script and one round trip (a single Redis server only). The rare refusals that
   * need a closer look (the person holds a claim: stale, a duplicate, or elsewhere) go on in steps.
   */
  private async joinWhole(input: JoinInput): Promise<JoinResult> {
    const packed = packEntry({
      accountId: input.accountId,
      personId: input.personId,
      nikHash: input.nikHash,
      category: input.category,
      losses: input.losses ?? 0,
      prefs: input.prefs,
    });
    const nikKey = keys.nik(input.nikHash);
    let singleUse = input.singleUse;
    for (let attempt = 0; ; attempt++) {
      const ticket = newTicket();
      const at = this.now();
      const { seed, commitment } = this.openingSeed(input.officeId, input.drawDate);
      const entry = this.accountEntry(input, ticket, at);
      const [status, detail] = await runScript<[number, string | number]>(
        this.redis,
        'entryJoinWhole',
        [
          singleUse?.key ?? nikKey,
          nikKey,
          keys.draw(input.officeId, input.drawDate),
          keys.drawEntries(input.officeId, input.drawDate, entryBucket(ticket)),
          keys.drawIndex(input.officeId),
          keys.account(input.accountId),
        ],
        [
          singleUse?.ttlSeconds ?? 0,
          claimPointer(activePointer(input.officeId, input.drawDate, ticket)),
          at.getTime(),
          ticket,
          packed,
          seed,
          commitment,
          input.targetDate,
          input.drawDate,
          epochDay(input.drawDate),
          input.officeId,
          packAccountEntry(entry),
        ],
      );
      switch (status) {
        case 1:
          return { ok: true, entry, entryCount: Number(detail) };
        case -7:
          return { ok: false, reason: 'blocked' };
        case -6:
          return { ok: false, reason: 'single_use_taken' };
        case -4:
          return { ok: false, reason: 'banned', bannedUntil: new Date(Number(detail)) };
        case -2:
          // The marker is set by now; the steps tell a stale claim, a duplicate and another office apart.
          return this.joinInSteps({ ...input, singleUse: undefined, accountCheckedUnblocked: true });
        case -5:
          singleUse = undefined;
          if (attempt < 2) continue;
          return { ok: false, reason: 'draw_closed' };
        default:
          return { ok: false, reason: 'draw_closed' };
      }
    }
  }

  private accountEntry(input: JoinInput, ticket: string, at: Date): AccountEntry {
    return {
      ticket,
      officeId: input.officeId,
      drawDate: input.drawDate,
      targetDate: input.targetDate,
      personId: input.personId,
      prefs: input.prefs,
      status: 'pending',
      createdAt: at.toISOString(),
      ...(input.carriedFrom ? { carriedFrom: input.carriedFrom } : {}),
    };
  }

  private async joinInSteps(input: JoinInput): Promise<JoinResult> {
    if (
      !input.accountCheckedUnblocked &&
      (await this.redis.hget(keys.account(input.accountId), 'blocked')) === '1'
    ) {
      return { ok: false, reason: 'blocked' };
    }
    if (
      input.singleUse &&
      (await this.redis.set(input.singleUse.key, '1', 'EX', input.singleUse.ttlSeconds, 'NX')) === null
    ) {
      return { ok: false, reason: 'single_use_taken' };
    }
    const packed = packEntry({
      accountId: input.accountId,
      personId: input.personId,
      nikHash: input.nikHash,
      category: input.category,
      losses: input.losses ?? 0,
      prefs: input.prefs,
    });
    // A fresh ticket that happens to be taken in this draw (2^-60 odds per pair) gets another one.
    for (let attempt = 0; ; attempt++) {
      const ticket = newTicket();
      const at = this.now();
      const pointer = activePointer(input.officeId, input.drawDate, ticket);
      const claim = await this.claim(input.nikHash, pointer, at.getTime());
      if (claim !== null) return claim;

      const { seed, commitment } = this.openingSeed(input.officeId, input.drawDate);
      const [status, detail] = await runScript<[number, string | number]>(
        this.redis,
        'entryJoin',
        [
          keys.draw(input.officeId, input.drawDate),
          keys.drawEntries(input.officeId, input.drawDate, entryBucket(ticket)),
          keys.drawIndex(input.officeId),
        ],
        [
          ticket,
          packed,
          seed,
          commitment,
          at.getTime(),
          input.targetDate,
          input.drawDate,
          epochDay(input.drawDate),
          input.officeId,
        ],
      );
      if (status !== 1) {
        await this.release(input.nikHash, pointer);
        if (status === -5 && attempt < 2) continue;
        return { ok: false, reason: 'draw_closed' };
      }
      const entry = this.accountEntry(input, ticket, at);
      const blocked = await runScript<number>(
        this.redis,
        'accountEntryAdd',
        [keys.account(input.accountId)],
        [ticket, packAccountEntry(entry)],
      );
      // A block that landed between the first check and now must not leave a live entry behind.
      if (blocked === 1) {
        await this.withdraw(input.accountId, { ...entry, nikHash: input.nikHash }, 'void');
        return { ok: false, reason: 'blocked' };
      }
      return { ok: true, entry, entryCount: Number(detail) };
    }
  }

  /**
   * The seed this process offers in case its join is the draw's first (entry-join.lua keeps the first
   * one offered and ignores the rest). Only one is ever used, so one random candidate per draw and
   * process is as good as a fresh one per join, and saves 32 random bytes and a SHA-256 on every join.
   */
  private openingSeed(officeId: string, drawDate: string): { seed: string; commitment: string } {
    const id = `${officeId}|${drawDate}`;
    let candidate = this.seedCandidates.get(id);
    if (!candidate) {
      const seed = randomBytes(32).toString('hex');
      candidate = { seed, commitment: createHash('sha256').update(seed).digest('hex') };
      if (this.seedCandidates.size >= 1000) this.seedCandidates.clear();
      this.seedCandidates.set(id, candidate);
    }
    return candidate;
  }

  /** Step 1 of a join; null when claimed, else the refusal. Clears a stale claim once and retries. */
  private async claim(nikHash: string, pointer: string, nowMs: number): Promise<JoinResult | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const [status, detail] = await runScript<[number, string]>(
        this.redis,
        'personClaim',
        [keys.nik(nikHash)],
        [claimPointer(pointer), nowMs],
      );
      if (status === 1) return null;
      if (status === -4) return { ok: false, reason: 'banned', bannedUntil: new Date(Number(detail)) };
      const [stored = '', claimedAt = '0'] = detail.split('@');
      const held = pointerOfClaim(stored);
      if (attempt === 0 && (await this.releaseIfStale(nikHash, held, Number(claimedAt), nowMs))) continue;
      const [officeId = '', drawDate = '', ticket = ''] = held.split('|');
      // The same person already in this very draw is a duplicate, not a conflict with another office —
      // but only if that entry exists (a claim from a join cut off mid-way has none yet).
      if (
        pointer.startsWith(`${officeId}|${drawDate}|`) &&
        (await this.hasEntry(officeId, drawDate, ticket))
      ) {
        return { ok: false, reason: 'duplicate', ticket };
      }
      return { ok: false, reason: 'active_elsewhere', officeId, drawDate };
    }
    return null;
  }

  async release(nikHash: string, pointer: string): Promise<boolean> {
    return (
      (await runScript<number>(this.redis, 'personRelease', [keys.nik(nikHash)], [claimPointer(pointer)])) ===
      1
    );
  }

  /** The pointer ("officeId|drawDate|ticket") the person's active slot holds, without its claim time. */
  async activeOf(nikHash: string): Promise<string | null> {
    const v = await this.redis.hget(keys.nik(nikHash), 'active');
    return v ? pointerOfClaim(v.split('@')[0]!) : null;
  }

  /**
   * A claim is stale when nothing it points at still holds the person: no entry in an open or closing
   * draw, no place on the day's waitlist, no appointment holding a place. Only claims older than a
   * minute count, so a join in flight between its steps is never cut off.
   */
  async releaseIfStale(nikHash: string, pointer: string, claimedAt: number, nowMs: number): Promise<boolean> {
    if (nowMs - claimedAt < STALE_CLAIM_MS) return false;
    if (await this.pointerIsLive(pointer)) return false;
    return this.release(nikHash, pointer);
  }

  async pointerIsLive(pointer: string): Promise<boolean> {
    const [officeId = '', drawDate = '', ticket = ''] = pointer.split('|');
    const [state, target] = await this.redis.hmget(keys.draw(officeId, drawDate), 'state', 'targetDate');
    if (!(await this.hasEntry(officeId, drawDate, ticket))) return false;
    if (state !== 'drawn') return true;
    if (target && (await this.redis.zscore(keys.dayWaitlist(officeId, target), ticket)) !== null) return true;
    const code = await this.redis.hget(keys.ticketAppointment(officeId, drawDate), ticket);
    if (!code) return false;
    const apptState = await this.redis.hget(keys.appointment(officeId, code), 'state');
    return apptState === 'offered' || apptState === 'confirmed';
  }

  /** Office step, then the person's slot, then the account's record (see join for the ordering). */
  async withdraw(
    accountId: string,
    entry: Pick<AccountEntry, 'ticket' | 'officeId' | 'drawDate'> & { nikHash: string },
    status: 'withdrawn' | 'void',
  ): Promise<'done' | 'not_found' | 'closed'> {
    const r = await runScript<number>(
      this.redis,
      'entryWithdraw',
      [
        keys.draw(entry.officeId, entry.drawDate),
        keys.drawEntries(entry.officeId, entry.drawDate, entryBucket(entry.ticket)),
      ],
      [entry.ticket, accountId],
    );
    if (r === -3) return 'closed';
    if (r !== 1) return 'not_found';
    await this.release(entry.nikHash, activePointer(entry.officeId, entry.drawDate, entry.ticket));
    await runScript(
      this.redis,
      'accountEntryStatus',
      [keys.account(accountId)],
      [entry.ticket, statusCode(status), packTime(this.now().getTime())],
    );
    return 'done';
  }

  async markCarried(accountId: string, ticket: string, carriedTo: string): Promise<void> {
    if (!isAccountEntryField(ticket)) return;
    const raw = await this.redis.hget(keys.account(accountId), ticket);
    if (!raw) return;
    await this.redis.hset(
      keys.account(accountId),
      ticket,
      packAccountEntry({ ...unpackAccountEntry(ticket, raw), carriedTo }),
    );
  }

  async forAccount(accountId: string): Promise<AccountEntry[]> {
    const h = await this.redis.hgetall(keys.account(accountId));
    const out: AccountEntry[] = [];
    for (const [field, v] of Object.entries(h)) {
      if (isAccountEntryField(field)) out.push(unpackAccountEntry(field, v));
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async forAccountByTicket(accountId: string, ticket: string): Promise<AccountEntry | null> {
    // Only a ticket-shaped name can be an entry record; the account's own fields are never one.
    if (!isAccountEntryField(ticket)) return null;
    const raw = await this.redis.hget(keys.account(accountId), ticket);
    return raw ? unpackAccountEntry(ticket, raw) : null;
  }

  /** Entries in the draw now (joins minus withdrawals), kept in the draw meta by the Lua steps. */
  async count(officeId: string, drawDate: string): Promise<number> {
    return Number((await this.redis.hget(keys.draw(officeId, drawDate), 'entries')) ?? 0);
  }

  async hasEntry(officeId: string, drawDate: string, ticket: string): Promise<boolean> {
    return (
      (await this.redis.hexists(keys.drawEntries(officeId, drawDate, entryBucket(ticket)), ticket)) === 1
    );
  }

  /**
   * The packed entries (store/entry-codec.ts) of these tickets of one draw, in their order; null where a
   * ticket has no entry. One round trip: an HMGET per bucket the tickets fall into, pipelined (the
   * buckets share the office's slot, so this also holds on a cluster).
   */
  async packedEntries(
    officeId: string,
    drawDate: string,
    tickets: readonly string[],
  ): Promise<(string | null)[]> {
    const out = new Array<string | null>(tickets.length).fill(null);
    if (tickets.length === 0) return out;
    const byBucket = new Map<string, number[]>();
    tickets.forEach((t, i) => {
      const b = entryBucket(t);
      const list = byBucket.get(b);
      if (list) list.push(i);
      else byBucket.set(b, [i]);
    });
    const pipe = this.redis.pipeline();
    const groups = [...byBucket.entries()];
    for (const [b, idx] of groups)
      pipe.hmget(keys.drawEntries(officeId, drawDate, b), ...idx.map((i) => tickets[i]!));
    const replies = (await pipe.exec()) ?? [];
    groups.forEach(([, idx], g) => {
      const [err, values] = replies[g] as [Error | null, (string | null)[]];
      if (err) throw err;
      idx.forEach((i, j) => {
        out[i] = values[j] ?? null;
      });
    });
    return out;
  }

  /**
   * Writes entries ([ticket, packed, ...]) straight into a draw's buckets and counts them, without the
   * join's checks and claims: only for fixtures and the bench, which need hundreds of thousands of entries
   * in seconds in a draw a real join has already opened.
   */
  async addBulk(officeId: string, drawDate: string, flat: readonly string[]): Promise<void> {
    const byBucket = new Map<string, string[]>();
    for (let i = 0; i < flat.length; i += 2) {
      const b = entryBucket(flat[i]!);
      const list = byBucket.get(b);
      if (list) list.push(flat[i]!, flat[i + 1]!);
      else byBucket.set(b, [flat[i]!, flat[i + 1]!]);
    }
    const pipe = this.redis.pipeline();
    for (const [b, fields] of byBucket) pipe.hset(keys.drawEntries(officeId, drawDate, b), ...fields);
    pipe.hincrby(keys.draw(officeId, drawDate), 'entries', flat.length / 2);
    for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
  }
}
