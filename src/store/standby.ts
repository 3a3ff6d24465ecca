// The day's standby line: who was still on the waitlist at the cut-off, in rank order, may come on the
// day and take the places of confirmed applicants who do not arrive (services/standby-desk.ts).
import type { RedisClient } from '../redis/connection.ts';
import { entryBucket, keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { newBookingCode } from './appointments.ts';

/** One person on the line, as the cut-off recorded them. */
export interface StandbyPerson {
  ticket: string;
  accountId: string;
  personId: string;
  nikHash: string;
  /** The draw whose waitlist they were on (the day's draw). */
  drawDate: string;
  prefs: string[] | null;
  /** The tickets of the person's group on the line, in line order (alone: just their own). */
  members: string[];
  /** The entry carried into the next draw ('' if none), withdrawn when they are seated. */
  nextDrawDate: string;
  nextTargetDate: string;
  nextTicket: string;
}

export interface StandbyRow extends StandbyPerson {
  position: number;
  arrivedAt: number | null;
  /** The booking code of the place they were seated in, if any. */
  seatedCode: string | null;
}

export class StandbyStore {
  constructor(private readonly redis: RedisClient) {}

  /** Adds people to the line at their rank positions; a repeated cut-off adds nothing twice. */
  async add(officeId: string, date: string, rows: { position: number; person: StandbyPerson }[]) {
    if (rows.length === 0) return;
    const zargs: (string | number)[] = [];
    const hargs: string[] = [];
    const index: string[] = [];
    for (const r of rows) {
      zargs.push(r.position, r.person.ticket);
      hargs.push(r.person.ticket, JSON.stringify(r.person));
      index.push(r.person.ticket, date);
    }
    await this.redis.zadd(keys.dayStandby(officeId, date), 'NX', ...zargs);
    await this.redis.hset(keys.dayStandbyPeople(officeId, date), ...hargs);
    await this.redis.hset(keys.officeStandbyIndex(officeId), ...index);
  }

  /** The day on which a ticket is on this office's standby line, or null. */
  dateOf(officeId: string, ticket: string): Promise<string | null> {
    return this.redis.hget(keys.officeStandbyIndex(officeId), ticket);
  }

  async person(officeId: string, date: string, ticket: string): Promise<StandbyPerson | null> {
    const raw = await this.redis.hget(keys.dayStandbyPeople(officeId, date), ticket);
    return raw ? (JSON.parse(raw) as StandbyPerson) : null;
  }

  /** The whole line in rank order, with arrivals and seats. */
  async line(officeId: string, date: string): Promise<StandbyRow[]> {
    const flat = await this.redis.zrange(keys.dayStandby(officeId, date), '0', '-1', 'WITHSCORES');
    if (flat.length === 0) return [];
    const tickets = flat.filter((_, i) => i % 2 === 0);
    const people = await this.redis.hgetall(keys.dayStandbyPeople(officeId, date));
    const arrived = await this.redis.hgetall(keys.dayStandbyArrived(officeId, date));
    const first = JSON.parse(people[tickets[0]!] ?? '{}') as Partial<StandbyPerson>;
    const seated = await this.redis.hmget(keys.ticketAppointment(officeId, first.drawDate ?? ''), ...tickets);
    return tickets.map((t, i) => ({
      ...(JSON.parse(people[t] ?? '{}') as StandbyPerson),
      position: Number(flat[2 * i + 1]),
      arrivedAt: arrived[t] ? Number(arrived[t]!.split('|')[0]) : null,
      seatedCode: seated[i] ?? null,
    }));
  }

  /** Marks a person (and their group) arrived; the tickets marked, or null if not on the line. */
  async arrive(officeId: string, date: string, ticket: string, nowMs: number, by: string) {
    const r = await runScript<(number | string)[]>(
      this.redis,
      'standbyArrive',
      [
        keys.dayStandby(officeId, date),
        keys.dayStandbyPeople(officeId, date),
        keys.dayStandbyArrived(officeId, date),
        keys.dayStandbyLog(officeId, date),
      ],
      [ticket, nowMs, by],
    );
    return r[0] === 1 ? r.slice(1).map(String) : null;
  }

  /**
   * Seats arrived people in one session (standby-seat.lua), then writes the indexes in other slots. The
   * carried entries' person slots and account records are the caller's (other aggregates).
   */
  async seat(input: {
    officeId: string;
    date: string;
    sessionId: string;
    capacity: number;
    nowMs: number;
    by: string;
  }): Promise<{ freeBefore: number; seated: { person: StandbyPerson; code: string }[] }> {
    const { officeId, date } = input;
    const rows = await this.line(officeId, date);
    const candidates = rows.filter((r) => r.arrivedAt !== null && r.seatedCode === null);
    const dayCodes = await this.redis.smembers(keys.dayAppointments(officeId, date));
    const standbyKey = keys.dayStandby(officeId, date);
    const drawDate = rows[0]?.drawDate ?? '';
    const codes = candidates.map(() => newBookingCode());
    const candidateKeys = candidates.flatMap((c, i) => {
      if (!c.nextTicket)
        return [keys.appointment(officeId, codes[i]!), standbyKey, standbyKey, standbyKey, standbyKey];
      return [
        keys.appointment(officeId, codes[i]!),
        keys.draw(officeId, c.nextDrawDate),
        keys.drawEntries(officeId, c.nextDrawDate, entryBucket(c.nextTicket)),
        keys.ticketAppointment(officeId, c.nextDrawDate),
        keys.dayWaitlist(officeId, c.nextTargetDate),
      ];
    });
    const reply = await runScript<(number | string)[]>(
      this.redis,
      'standbySeat',
      [
        standbyKey,
        keys.dayStandbyPeople(officeId, date),
        keys.dayStandbyArrived(officeId, date),
        keys.dayStandbySeated(officeId, date),
        keys.dayHeld(officeId, date),
        keys.dayAppointments(officeId, date),
        keys.ticketAppointment(officeId, drawDate),
        keys.dayStandbyLog(officeId, date),
        ...dayCodes.map((c) => keys.appointment(officeId, c)),
        ...candidateKeys,
      ],
      [
        input.sessionId,
        input.capacity,
        input.nowMs,
        input.by,
        dayCodes.length,
        officeId,
        date,
        ...candidates.flatMap((c, i) => [c.ticket, codes[i]!]),
      ],
    );
    const byTicket = new Map(candidates.map((c) => [c.ticket, c]));
    const seated: { person: StandbyPerson; code: string }[] = [];
    for (let i = 2; i < reply.length; i += 2) {
      const person = byTicket.get(String(reply[i]))!;
      const code = String(reply[i + 1]);
      seated.push({ person, code });
      await this.redis.hset(keys.codeIndex(), code, officeId);
      await this.redis.hset(keys.accountAppointments(person.accountId), code, `${officeId}|${date}`);
    }
    return { freeBefore: Number(reply[0]), seated };
  }

  /** The audit of arrivals and seatings, oldest first. */
  async log(officeId: string, date: string): Promise<unknown[]> {
    return (await this.redis.lrange(keys.dayStandbyLog(officeId, date), 0, -1)).map((l) => JSON.parse(l));
  }
}
