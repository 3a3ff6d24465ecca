// Standby at the counter: people on the day's standby line report by their ticket, and from a session's
// standby moment the officer seats the best-ranked arrived ones in the places of confirmed applicants who
// did not come (store/lua/standby-seat.lua). Refusals are CounterRefusals, worded like check-in's.
import { localDate, sessionWindow, standbyMoment } from '../domain/calendar.ts';
import type { Rules } from '../domain/rules.ts';
import type { StandbyPanel } from '../domain/standby.ts';
import type { Logger } from '../log.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { packTime, statusCode } from '../store/account-entry-codec.ts';
import type { AccountStore } from '../store/accounts/index.ts';
import type { AppointmentStore } from '../store/appointments.ts';
import { activePointer, claimPointer } from '../store/entries/active-claim.ts';
import type { Office, OfficeStore } from '../store/offices.ts';
import { StandbyStore } from '../store/standby.ts';
import type { StaffUser } from '../store/users.ts';
import { CounterRefusal } from './counter-desk.ts';

export interface StandbyDeskDeps {
  offices: OfficeStore;
  accounts: AccountStore;
  appointments: AppointmentStore;
  redis: RedisClient;
  now: () => Date;
  log: Logger;
}

export class StandbyDesk {
  private readonly store: StandbyStore;

  constructor(private readonly deps: StandbyDeskDeps) {
    this.store = new StandbyStore(deps.redis);
  }

  async panel(officeId: string): Promise<StandbyPanel> {
    const { office, rules } = await this.officeOf(officeId);
    const date = localDate(office.tz, this.deps.now());
    const [rows, appts, seated] = await Promise.all([
      this.store.line(officeId, date),
      this.deps.appointments.forDay(officeId, date),
      this.deps.redis.hgetall(keys.dayStandbySeated(officeId, date)),
    ]);
    const sessions = rules.sessions.map((s) => {
      // Seated standby places count once: by the counter the seat script keeps (as it does).
      const checkedIn = appts.filter(
        (a) => a.sessionId === s.id && a.state === 'checked_in' && a.source !== 'standby',
      ).length;
      return {
        id: s.id,
        start: s.start,
        standbyAt: standbyMoment(rules, office.tz, date, s.id)?.toISOString() ?? null,
        capacity: s.capacity,
        free: Math.max(0, s.capacity - checkedIn - Number(seated[s.id] ?? 0)),
      };
    });
    const line = await Promise.all(
      rows.map(async (r) => {
        const p = await this.deps.accounts.person(r.accountId, r.personId);
        return {
          ticket: r.ticket,
          name: p?.name ?? '',
          nikMasked: p?.nikMasked ?? '',
          groupSize: r.members.length,
          arrivedAt: r.arrivedAt === null ? null : new Date(r.arrivedAt).toISOString(),
          seatedCode: r.seatedCode,
        };
      }),
    );
    return { officeId, date, sessions, line };
  }

  /** Records that a person on today's line has come (their group with them); the tickets marked. */
  async arrive(staff: StaffUser, officeId: string, ticket: string): Promise<string[]> {
    const { office } = await this.officeOf(officeId);
    const today = localDate(office.tz, this.deps.now());
    const date = await this.store.dateOf(officeId, ticket);
    if (date === null) throw await this.notHere(officeId, today, ticket);
    if (date !== today) {
      throw new CounterRefusal('wrong_day', `this ticket is on standby on ${date}`, 409, { date });
    }
    const marked = await this.store.arrive(officeId, date, ticket, this.deps.now().getTime(), staff.username);
    if (!marked) throw new CounterRefusal('not_on_standby', 'this ticket is not on the standby line', 409);
    this.deps.log.info({ officeId, by: staff.username, people: marked.length }, 'standby arrival');
    return marked;
  }

  /** Seats arrived standby people in a session's free places, from its standby moment to check-in's end. */
  async seat(staff: StaffUser, officeId: string, sessionId: string) {
    const { office, rules } = await this.officeOf(officeId);
    const now = this.deps.now();
    const date = localDate(office.tz, now);
    const session = rules.sessions.find((s) => s.id === sessionId);
    const w = sessionWindow(rules, office.tz, date, sessionId);
    if (!session || !w) throw new CounterRefusal('unknown_code', 'no such session', 404);
    const at = standbyMoment(rules, office.tz, date, sessionId);
    if (!at) throw new CounterRefusal('standby_off', 'this office keeps no standby line', 409);
    if (now < at) {
      throw new CounterRefusal('standby_not_yet', `standby seats from ${at.toISOString()}`, 409, {
        standbyAt: at.toISOString(),
      });
    }
    if (now > w.checkInUntil) {
      throw new CounterRefusal('too_late', 'check-in for this session has closed', 409, {
        closedAt: w.checkInUntil.toISOString(),
      });
    }
    const r = await this.store.seat({
      officeId,
      date,
      sessionId,
      capacity: session.capacity,
      nowMs: now.getTime(),
      by: staff.username,
    });
    // The seated are checked in: their one active slot (the carried entry) ends, and their account shows
    // that entry withdrawn. Other aggregates than the office's, so after the seat script.
    for (const { person } of r.seated) {
      if (!person.nextTicket) continue;
      const pointer = activePointer(officeId, person.nextDrawDate, person.nextTicket);
      await runScript(this.deps.redis, 'personRelease', [keys.nik(person.nikHash)], [claimPointer(pointer)]);
      await runScript(
        this.deps.redis,
        'accountEntryStatus',
        [keys.account(person.accountId)],
        [person.nextTicket, statusCode('withdrawn'), packTime(now.getTime())],
      );
    }
    this.deps.log.info({ officeId, by: staff.username, seated: r.seated.length }, 'standby seated');
    return {
      sessionId,
      freeBefore: Math.max(0, r.freeBefore),
      seated: r.seated.map((s) => ({ ticket: s.person.ticket, code: s.code })),
    };
  }

  /** Why a ticket is not on this office's line: another office's, a booking of today's draw, or unknown. */
  private async notHere(officeId: string, today: string, ticket: string): Promise<CounterRefusal> {
    for (const o of await this.deps.offices.list()) {
      if (o.id !== officeId && (await this.store.dateOf(o.id, ticket)) !== null) {
        return new CounterRefusal('wrong_office', 'this ticket is on another office’s standby line', 409, {
          officeName: o.name,
        });
      }
    }
    const first = (await this.store.line(officeId, today))[0];
    if (first && (await this.deps.redis.hget(keys.ticketAppointment(officeId, first.drawDate), ticket))) {
      return new CounterRefusal('not_on_standby', 'this ticket won a place: check it in by its code', 409);
    }
    return new CounterRefusal('unknown_code', 'no standby ticket has this code', 404);
  }

  private async officeOf(officeId: string): Promise<{ office: Office; rules: Rules }> {
    const [office, v] = await Promise.all([
      this.deps.offices.get(officeId),
      this.deps.offices.rules(officeId),
    ]);
    if (!office || !v) throw new CounterRefusal('unknown_code', 'no such office', 404);
    return { office, rules: v.rules };
  }
}
