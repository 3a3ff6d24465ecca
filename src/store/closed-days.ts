// Closed days: the national list every office observes and each office's own closings, with the record
// of who closed what and why. The calendar reads the union (cached briefly: every join asks).
import type { HolidayList } from '../domain/closed-days.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';

export interface OfficeClosing {
  date: string;
  reason: string;
  by: string;
  at: string;
  /** 'closed': at short notice, with its appointments moved; 'holiday': a day off known in advance. */
  kind: 'closed' | 'holiday';
}

export interface NationalDay {
  date: string;
  name: string;
  kind: 'holiday' | 'collective_leave';
  year: number;
  source: string;
  loadedBy: string;
  loadedAt: string;
}

/** How long the join path may use a closed-day list without asking Redis again (as OfficeStore.cached). */
const CACHE_MS = 2000;

export class ClosedDayStore {
  private readonly cache = new Map<string, { at: number; dates: string[] }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => Date,
  ) {}

  /** Every date the office does not serve beyond its rules: national days and its own closings, sorted. */
  async dates(officeId: string): Promise<string[]> {
    const hit = this.cache.get(officeId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.dates;
    const [national, own] = await Promise.all([
      this.redis.hkeys(keys.nationalHolidays()),
      this.redis.hkeys(keys.officeClosed(officeId)),
    ]);
    const dates = [...new Set([...national, ...own])].sort();
    // The same array while nothing changed, so memos keyed by it (services/open-draw.ts) keep their hits.
    const stable = hit && hit.dates.join() === dates.join() ? hit.dates : dates;
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(officeId, { at: Date.now(), dates: stable });
    return stable;
  }

  async isClosed(officeId: string, date: string): Promise<boolean> {
    const [national, own] = await Promise.all([
      this.redis.hexists(keys.nationalHolidays(), date),
      this.redis.hexists(keys.officeClosed(officeId), date),
    ]);
    return national === 1 || own === 1;
  }

  /** Records the closing once; false if the day was already closed (the first reason stands). */
  async close(officeId: string, closing: OfficeClosing): Promise<boolean> {
    const added = await this.redis.hsetnx(keys.officeClosed(officeId), closing.date, JSON.stringify(closing));
    if (added === 1) {
      await this.redis.rpush(keys.officeClosedLog(officeId), JSON.stringify({ action: 'close', ...closing }));
      this.cache.delete(officeId);
    }
    return added === 1;
  }

  async closing(officeId: string, date: string): Promise<OfficeClosing | null> {
    const raw = await this.redis.hget(keys.officeClosed(officeId), date);
    return raw ? (JSON.parse(raw) as OfficeClosing) : null;
  }

  async closings(officeId: string): Promise<OfficeClosing[]> {
    const h = await this.redis.hgetall(keys.officeClosed(officeId));
    return Object.values(h)
      .map((v) => JSON.parse(v) as OfficeClosing)
      .sort((a, b) => a.date.localeCompare(b.date));
  }

  /** Who closed which day, and why, oldest first. */
  async log(officeId: string, limit = 200): Promise<(OfficeClosing & { action: string })[]> {
    const raw = await this.redis.lrange(keys.officeClosedLog(officeId), -limit, -1);
    return raw.map((r) => JSON.parse(r));
  }

  /**
   * Loads a yearly national list: the year's previous days are replaced (a decree can move a day), other
   * years stay. Returns the dates added and removed against what was loaded for that year.
   */
  async loadNational(list: HolidayList, by: string): Promise<{ added: string[]; removed: string[] }> {
    const at = this.now().toISOString();
    const current = await this.redis.hgetall(keys.nationalHolidays());
    const ofYear = Object.keys(current).filter((d) => d.startsWith(`${list.year}-`));
    const next = new Set(list.days.map((d) => d.date));
    const removed = ofYear.filter((d) => !next.has(d)).sort();
    const added = [...next].filter((d) => !(d in current)).sort();
    const multi = this.redis.multi();
    if (removed.length) multi.hdel(keys.nationalHolidays(), ...removed);
    for (const d of list.days) {
      const day: NationalDay = {
        date: d.date,
        name: d.name,
        kind: d.kind,
        year: list.year,
        source: list.source,
        loadedBy: by,
        loadedAt: at,
      };
      multi.hset(keys.nationalHolidays(), d.date, JSON.stringify(day));
    }
    multi.rpush(keys.nationalHolidaysLog(), JSON.stringify({ ...list, by, at, added, removed }));
    await multi.exec();
    this.cache.clear();
    return { added, removed };
  }

  async national(year?: number): Promise<NationalDay[]> {
    const h = await this.redis.hgetall(keys.nationalHolidays());
    return Object.values(h)
      .map((v) => JSON.parse(v) as NationalDay)
      .filter((d) => year === undefined || d.year === year)
      .sort((a, b) => a.date.localeCompare(b.date));
  }

  /** 1 reserved, 'closed' (the day's draw has closed), 'full' (no place left in the session). */
  async reserve(
    officeId: string,
    drawDate: string,
    date: string,
    sessionId: string,
    capacity: number,
  ): Promise<'reserved' | 'closed' | 'full'> {
    const r = await runScript<number>(
      this.redis,
      'dayReserve',
      [keys.draw(officeId, drawDate), keys.dayReserved(officeId, date), keys.dayHeld(officeId, date)],
      [sessionId, capacity],
    );
    return r === 1 ? 'reserved' : r === 0 ? 'closed' : 'full';
  }

  /**
   * A moved offer given up: its reserved place goes back to the day's draw while that draw is open
   * ('returned', also on a repeat), else 'closed' (the place is for the day's waitlist).
   */
  async unreserve(
    officeId: string,
    dayDrawDate: string,
    date: string,
    sessionId: string,
    code: string,
  ): Promise<'returned' | 'closed'> {
    const r = await runScript<number>(
      this.redis,
      'dayUnreserve',
      [keys.draw(officeId, dayDrawDate), keys.dayReserved(officeId, date), keys.appointment(officeId, code)],
      [sessionId],
    );
    return r === 0 ? 'closed' : 'returned';
  }

  /** Places reserved per session on a day, for the draw that fills it. */
  async reserved(officeId: string, date: string): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(keys.dayReserved(officeId, date));
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }
}

/** The sessions a draw seats: each session's capacity less the places reserved on its day. */
export function seatsLeft<S extends { id: string; capacity: number }>(
  sessions: readonly S[],
  reserved: Record<string, number>,
): S[] {
  return sessions.map((s) => ({ ...s, capacity: Math.max(0, s.capacity - (reserved[s.id] ?? 0)) }));
}
