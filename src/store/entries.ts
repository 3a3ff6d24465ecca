// Entries in the waiting room: join, withdraw, void, and an account's own list.
import { createHash, randomBytes } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { packEntry } from './entry-codec.ts';

/** Public ticket ids: random, so a ticket says nothing about who holds it or when it was made. */
export const newTicket = customAlphabet('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', 12);

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
  | { ok: false; reason: 'blocked' };

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
}

const epochDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
export const activePointer = (officeId: string, drawDate: string, ticket: string) =>
  `${officeId}|${drawDate}|${ticket}`;

export class EntryStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => Date,
  ) {}

  async join(input: JoinInput): Promise<JoinResult> {
    const ticket = newTicket();
    const at = this.now();
    const seed = randomBytes(32).toString('hex');
    const commitment = createHash('sha256').update(seed).digest('hex');
    const entry: AccountEntry = {
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
    const packed = packEntry({
      accountId: input.accountId,
      personId: input.personId,
      nikHash: input.nikHash,
      category: input.category,
      losses: input.losses ?? 0,
      prefs: input.prefs,
    });
    const [status, detail] = await runScript<[number, string | number]>(
      this.redis,
      'entryJoin',
      [
        keys.draw(input.officeId, input.drawDate),
        keys.drawEntries(input.officeId, input.drawDate),
        keys.drawPersons(input.officeId, input.drawDate),
        keys.nikActive(input.nikHash),
        keys.nik(input.nikHash),
        keys.accountEntries(input.accountId),
        keys.drawIndex(input.officeId),
        keys.account(input.accountId),
      ],
      [
        ticket,
        packed,
        input.nikHash,
        seed,
        commitment,
        at.getTime(),
        input.targetDate,
        input.drawDate,
        epochDay(input.drawDate),
        JSON.stringify(entry),
        activePointer(input.officeId, input.drawDate, ticket),
        input.officeId,
      ],
    );
    switch (status) {
      case 1:
        return { ok: true, entry, entryCount: Number(detail) };
      case -1:
        return { ok: false, reason: 'duplicate', ticket: String(detail) };
      case -2: {
        const [officeId = '', drawDate = ''] = String(detail).split('|');
        return { ok: false, reason: 'active_elsewhere', officeId, drawDate };
      }
      case -3:
        return { ok: false, reason: 'draw_closed' };
      case -4:
        return { ok: false, reason: 'banned', bannedUntil: new Date(Number(detail)) };
      default:
        return { ok: false, reason: 'blocked' };
    }
  }

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
        keys.drawEntries(entry.officeId, entry.drawDate),
        keys.drawPersons(entry.officeId, entry.drawDate),
        keys.nikActive(entry.nikHash),
        keys.accountEntries(accountId),
      ],
      [
        entry.ticket,
        accountId,
        status,
        this.now().toISOString(),
        activePointer(entry.officeId, entry.drawDate, entry.ticket),
      ],
    );
    return r === 1 ? 'done' : r === -3 ? 'closed' : 'not_found';
  }

  async markCarried(accountId: string, ticket: string, carriedTo: string): Promise<void> {
    const raw = await this.redis.hget(keys.accountEntries(accountId), ticket);
    if (!raw) return;
    await this.redis.hset(
      keys.accountEntries(accountId),
      ticket,
      JSON.stringify({ ...JSON.parse(raw), carriedTo }),
    );
  }

  async forAccount(accountId: string): Promise<AccountEntry[]> {
    const h = await this.redis.hgetall(keys.accountEntries(accountId));
    return Object.values(h)
      .map((v) => JSON.parse(v) as AccountEntry)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async forAccountByTicket(accountId: string, ticket: string): Promise<AccountEntry | null> {
    const raw = await this.redis.hget(keys.accountEntries(accountId), ticket);
    return raw ? (JSON.parse(raw) as AccountEntry) : null;
  }

  async count(officeId: string, drawDate: string): Promise<number> {
    return this.redis.hlen(keys.drawEntries(officeId, drawDate));
  }
}
