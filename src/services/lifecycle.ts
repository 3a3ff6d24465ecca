// From win to visit: offers for winners, confirmation, cancellation, forfeits, waitlist offers,
// check-in and no-shows. Every step is idempotent and every state change is one Lua transition, so
// retried jobs, the sweep and a user clicking twice all converge on the same result.
import { DateTime } from 'luxon';
import type { Deps, NotificationRequest } from '../deps.ts';
import { offerCutoffInstant, sessionWindow, zoneLabel } from '../domain/calendar.ts';
import type { Rules } from '../domain/rules.ts';
import { keys } from '../redis/keys.ts';
import type { Appointment } from '../store/appointments.ts';
import { parseResults } from '../store/draws.ts';
import { unpackEntry } from '../store/entry-codec.ts';
import type { Office } from '../store/offices.ts';
import type { StaffUser } from '../store/users.ts';
import { openDraw } from './open-draw.ts';

export type LifecycleDeps = Pick<
  Deps,
  | 'offices'
  | 'draws'
  | 'appointments'
  | 'entries'
  | 'accounts'
  | 'redis'
  | 'now'
  | 'log'
  | 'queues'
  | 'notifications'
>;

export const jobIds = {
  forfeit: (code: string) => `forfeit.${code}`,
  offerNext: (releasedCode: string) => `offer-next.${releasedCode}`,
  waitlistClose: (officeId: string, date: string) => `wlclose.${officeId}.${date}`,
  noShow: (officeId: string, date: string, sessionId: string) => `noshow.${officeId}.${date}.${sessionId}`,
  reminder: (officeId: string, date: string) => `remind.${officeId}.${date}`,
};

/** Local time on the day before an appointment when reminders go out. */
const REMINDER_TIME = '17:00';

/** How far down the waitlist offers can reach, in multiples of the day's quota. */
const WAITLIST_DEPTH_FACTOR = 10;

/** Waitlisted entries told their position right after the draw; those further down hear at the cut-off. */
const WAITLIST_NOTIFY_FACTOR = 2;

export function formatLocal(tz: string, ms: number): string {
  return `${DateTime.fromMillis(ms, { zone: tz }).toFormat('yyyy-LL-dd HH:mm')} ${zoneLabel(tz)}`;
}

export class LifecycleError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 403 | 404 | 409 | 422 = 409,
  ) {
    super(message);
  }
}

export class Lifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  private async officeRules(
    officeId: string,
    version?: number | null,
  ): Promise<{ office: Office; rules: Rules }> {
    const office = await this.deps.offices.get(officeId);
    const v = version
      ? await this.deps.offices.rulesVersion(officeId, version)
      : await this.deps.offices.rules(officeId);
    if (!office || !v) throw new Error(`unknown office ${officeId}`);
    return { office, rules: v.rules };
  }

  private async schedule(name: string, data: object, jobId: string, atMs: number): Promise<void> {
    const q = this.deps.queues?.lifecycle;
    if (!q) return; // HTTP-only processes: the sweep still catches everything
    await q.add(name, data, { jobId, delay: Math.max(0, atMs - this.deps.now().getTime()) });
  }

  private async notify(req: NotificationRequest): Promise<void> {
    await this.deps.notifications?.enqueue(req);
  }

  private deadlineFor(rules: Rules, office: Office, date: string, windowHours: number): number {
    const now = this.deps.now().getTime();
    const cutoff = offerCutoffInstant(rules, office.tz, date).getTime();
    const byWindow = now + windowHours * 3600_000;
    // Never past the cut-off, unless the draw itself ran after it (then the window alone applies).
    return cutoff > now ? Math.min(byWindow, cutoff) : byWindow;
  }

  /** Instants travel as {at, tz} so each message formats them in its reader's language and zone label. */
  private slotText(
    office: Office,
    rules: Rules,
    date: string,
    sessionId: string,
  ): string | { at: string; tz: string } {
    const w = sessionWindow(rules, office.tz, date, sessionId);
    return w ? { at: w.start.toISOString(), tz: office.tz } : `${date} ${sessionId}`;
  }

  private instant(office: Office, ms: number): { at: string; tz: string } {
    return { at: new Date(ms).toISOString(), tz: office.tz };
  }

  appointmentInfo(office: Office, rules: Rules, a: Pick<Appointment, 'code' | 'date' | 'sessionId'>) {
    const w = sessionWindow(rules, office.tz, a.date, a.sessionId);
    return {
      code: a.code,
      officeName: office.name,
      address: office.address,
      tz: office.tz,
      start: w?.start.toISOString() ?? '',
      end: w?.end.toISOString() ?? '',
    };
  }

  /** After a draw commits: offers for winners, the waitlist, and the day's timed jobs. Safe to repeat. */
  async fanout(officeId: string, drawDate: string): Promise<{ offered: number; waitlisted: number }> {
    const meta = await this.deps.draws.meta(officeId, drawDate);
    if (meta?.state !== 'drawn') throw new Error(`draw ${officeId} ${drawDate} is not drawn`);
    const { office, rules } = await this.officeRules(officeId, meta.rulesVersion);
    const rows = parseResults((await this.deps.draws.results(officeId, drawDate)) ?? '');
    const date = meta.targetDate;
    const capacity = new Map(rules.sessions.map((s) => [s.id, s.capacity]));
    const deadline = this.deadlineFor(rules, office, date, rules.confirmationWindowHours);
    const quota = rules.sessions.reduce((n, s) => n + s.capacity, 0);
    let offered = 0;
    // Positions for every loser; only winners and the head of the waitlist need their entry read back
    // (to offer and to tell), so a million-entry draw does not read a million entries again.
    const waitlist: { ticket: string; position: number }[] = [];
    const needed: { row: (typeof rows)[number]; position: number | null }[] = [];
    for (const row of rows) {
      if (row.sessionId) needed.push({ row, position: null });
      else {
        const position = waitlist.length + 1;
        waitlist.push({ ticket: row.ticket, position });
        if (position <= quota * WAITLIST_NOTIFY_FACTOR) needed.push({ row, position });
      }
    }
    const batch = 500;
    for (let i = 0; i < needed.length; i += batch) {
      const slice = needed.slice(i, i + batch);
      const packed = await this.deps.entries.packedEntries(
        officeId,
        drawDate,
        slice.map((n) => n.row.ticket),
      );
      for (let j = 0; j < slice.length; j++) {
        const { row, position } = slice[j]!;
        const e = unpackEntry(packed[j] ?? '');
        if (!row.sessionId) {
          await this.notify({
            event: `waitlisted:${officeId}:${drawDate}:${row.ticket}`,
            accountId: e.accountId,
            template: 'waitlisted',
            vars: { ticket: row.ticket, position: position!, targetDate: date },
          });
          continue;
        }
        const r = await this.deps.appointments.offer({
          officeId,
          date,
          drawDate,
          ticket: row.ticket,
          sessionId: row.sessionId,
          capacity: capacity.get(row.sessionId) ?? 0,
          deadline,
          accountId: e.accountId,
          personId: e.personId,
          nikHash: e.nikHash,
          source: 'draw',
          cause: `draw ${drawDate} rank ${row.rank}`,
        });
        if (r.status === 'full') {
          this.deps.log.error(
            { officeId, drawDate, ticket: row.ticket },
            'draw winner found its session full',
          );
          continue;
        }
        offered++;
        const a = (await this.deps.appointments.get(officeId, r.code))!;
        await this.schedule('forfeit', { officeId, code: r.code }, jobIds.forfeit(r.code), a.deadline);
        await this.notify({
          event: `won:${officeId}:${drawDate}:${row.ticket}`,
          accountId: e.accountId,
          template: 'won',
          vars: {
            office: office.name,
            slot: this.slotText(office, rules, date, row.sessionId),
            code: r.code,
            deadline: this.instant(office, a.deadline),
          },
          appointment: this.appointmentInfo(office, rules, a),
        });
      }
    }
    // Offers only ever reach the head of the waitlist; the rest is carried over from the results at the cut-off.
    await this.deps.appointments.addToWaitlist(
      officeId,
      date,
      waitlist.slice(0, quota * WAITLIST_DEPTH_FACTOR),
    );
    await this.schedule(
      'waitlist-close',
      { officeId, date, drawDate },
      jobIds.waitlistClose(officeId, date),
      offerCutoffInstant(rules, office.tz, date).getTime(),
    );
    // Reminders the evening before: SMS reminders cut no-shows by about a third in trials.
    const reminderAt = DateTime.fromISO(`${date}T${REMINDER_TIME}`, { zone: office.tz }).minus({ days: 1 });
    await this.schedule(
      'reminder',
      { officeId, date },
      jobIds.reminder(officeId, date),
      reminderAt.toMillis(),
    );
    for (const s of rules.sessions) {
      const w = sessionWindow(rules, office.tz, date, s.id);
      if (w)
        await this.schedule(
          'no-show',
          { officeId, date, sessionId: s.id },
          jobIds.noShow(officeId, date, s.id),
          w.checkInUntil.getTime(),
        );
    }
    return { offered, waitlisted: waitlist.length };
  }

  private async ownAppointment(accountId: string, code: string): Promise<Appointment> {
    const a = await this.deps.appointments.byCode(code);
    if (!a || a.accountId !== accountId) throw new LifecycleError('not_found', 'appointment not found', 404);
    return a;
  }

  async confirm(accountId: string, code: string): Promise<Appointment> {
    const a = await this.ownAppointment(accountId, code);
    const r = await this.deps.appointments.transition(a, ['offered'], 'confirmed', 'confirmed by applicant', {
      deadline: 'before',
    });
    if (!r.ok) {
      if (r.reason === 'deadline')
        throw new LifecycleError('deadline_passed', 'the confirmation deadline has passed');
      if (r.state === 'confirmed') return a; // a double click is not an error
      throw new LifecycleError('wrong_state', `the appointment is ${r.state}`);
    }
    const { office, rules } = await this.officeRules(a.officeId);
    await this.notify({
      event: `confirmed:${a.code}`,
      accountId,
      template: 'confirmed',
      vars: { office: office.name, slot: this.slotText(office, rules, a.date, a.sessionId), code: a.code },
      appointment: this.appointmentInfo(office, rules, a),
    });
    return (await this.deps.appointments.get(a.officeId, a.code))!;
  }

  async cancel(accountId: string, code: string): Promise<Appointment> {
    const a = await this.ownAppointment(accountId, code);
    const { office, rules } = await this.officeRules(a.officeId);
    if (this.deps.now() >= offerCutoffInstant(rules, office.tz, a.date)) {
      throw new LifecycleError(
        'after_cutoff',
        'appointments can no longer be cancelled online; contact the office',
      );
    }
    const r = await this.deps.appointments.transition(
      a,
      ['offered', 'confirmed'],
      'cancelled',
      'cancelled by applicant',
      {
        endsActive: true,
      },
    );
    if (!r.ok) throw new LifecycleError('wrong_state', `the appointment is ${r.state}`);
    await this.release(a);
    return (await this.deps.appointments.get(a.officeId, a.code))!;
  }

  /** Forfeits an offer whose deadline passed; called by its delayed job and by the sweep, whichever is first. */
  async forfeit(officeId: string, code: string): Promise<boolean> {
    const a = await this.deps.appointments.get(officeId, code);
    if (!a) return false;
    const r = await this.deps.appointments.transition(
      a,
      ['offered'],
      'forfeited',
      'not confirmed by the deadline',
      {
        deadline: 'after',
        endsActive: true,
      },
    );
    if (!r.ok) return false;
    await this.notify({
      event: `forfeited:${code}`,
      accountId: a.accountId,
      template: 'forfeited',
      vars: { code },
    });
    await this.release(a);
    return true;
  }

  private async release(a: Appointment): Promise<void> {
    if (this.deps.queues?.lifecycle) {
      await this.deps.queues.lifecycle.add(
        'offer-next',
        { officeId: a.officeId, date: a.date, sessionId: a.sessionId, releasedCode: a.code },
        { jobId: jobIds.offerNext(a.code) },
      );
    } else {
      await this.offerNext(a.officeId, a.date, a.sessionId, a.code);
    }
  }

  /**
   * Gives a released place to the best-ranked waitlisted entry whose preferences allow that session and
   * who still holds that ticket (someone who left the waitlist or was carried on is skipped and removed).
   */
  async offerNext(
    officeId: string,
    date: string,
    sessionId: string,
    releasedCode: string,
  ): Promise<string | null> {
    const { office, rules } = await this.officeRules(officeId);
    if (this.deps.now() >= offerCutoffInstant(rules, office.tz, date)) return null;
    const session = rules.sessions.find((s) => s.id === sessionId);
    if (!session) return null;
    const drawDate = (await this.deps.redis.hget(keys.appointment(officeId, releasedCode), 'drawDate')) ?? '';
    for (let start = 0; ; start += 100) {
      const tickets = await this.deps.appointments.waitlist(officeId, date, start, 100);
      if (tickets.length === 0) return null;
      const packed = await this.deps.entries.packedEntries(officeId, drawDate, tickets);
      for (let i = 0; i < tickets.length; i++) {
        const ticket = tickets[i]!;
        const e = packed[i] ? unpackEntry(packed[i]!) : null;
        const pointer = `${officeId}|${drawDate}|${ticket}`;
        const stillHere = e && (await this.deps.entries.activeOf(e.nikHash)) === pointer;
        if (!e || !stillHere) {
          await this.deps.appointments.removeFromWaitlist(officeId, date, ticket);
          start--;
          continue;
        }
        if (e.prefs && !e.prefs.includes(sessionId)) continue;
        const deadline = this.deadlineFor(rules, office, date, rules.waitlistOfferWindowHours);
        const r = await this.deps.appointments.offer({
          officeId,
          date,
          drawDate,
          ticket,
          sessionId,
          capacity: session.capacity,
          deadline,
          accountId: e.accountId,
          personId: e.personId,
          nikHash: e.nikHash,
          source: 'waitlist',
          cause: `waitlist offer after ${releasedCode} was released`,
        });
        if (r.status === 'full') return null;
        if (r.status === 'existing') continue;
        await this.schedule('forfeit', { officeId, code: r.code }, jobIds.forfeit(r.code), deadline);
        await this.notify({
          event: `offer:${r.code}`,
          accountId: e.accountId,
          template: 'waitlist_offer',
          vars: {
            office: office.name,
            slot: this.slotText(office, rules, date, sessionId),
            code: r.code,
            deadline: this.instant(office, deadline),
          },
          appointment: this.appointmentInfo(office, rules, { code: r.code, date, sessionId }),
        });
        return r.code;
      }
    }
  }

  /** Forfeits every offer past its deadline: the backstop for delayed jobs lost while a worker was down. */
  async sweep(): Promise<number> {
    let n = 0;
    const now = this.deps.now().getTime();
    for (const office of await this.deps.offices.list()) {
      for (const code of await this.deps.appointments.dueOffers(office.id, now)) {
        if (await this.forfeit(office.id, code)) n++;
      }
    }
    return n;
  }

  /**
   * At the cut-off the day's waitlist ends: each entry still waiting is carried into the office's next
   * draw with one more loss (a bigger, capped bonus) or, past the carry-over limit, marked lost.
   */
  async closeWaitlist(
    officeId: string,
    date: string,
    drawDate: string,
  ): Promise<{ carried: number; lost: number }> {
    const { office, rules } = await this.officeRules(officeId);
    let carried = 0;
    let lost = 0;
    // Every entry that won nothing in the draw, in rank order (the waitlist set holds only its head).
    const losers = parseResults((await this.deps.draws.results(officeId, drawDate)) ?? '')
      .filter((r) => r.sessionId === null)
      .map((r) => r.ticket);
    const batch = 500;
    for (let i = 0; i < losers.length; i += batch) {
      const tickets = losers.slice(i, i + batch);
      const [packed, offered] = await Promise.all([
        this.deps.entries.packedEntries(officeId, drawDate, tickets),
        this.deps.redis.hmget(keys.ticketAppointment(officeId, drawDate), ...tickets),
      ]);
      for (let j = 0; j < tickets.length; j++) {
        const ticket = tickets[j]!;
        // A waitlisted entry that got an offer is done with the waitlist, whatever became of the offer.
        if (!packed[j] || offered[j]) continue;
        const e = unpackEntry(packed[j]!);
        const pointer = `${officeId}|${drawDate}|${ticket}`;
        if (!(await this.deps.entries.release(e.nikHash, pointer))) continue;
        const next =
          rules.carryOverLosers && e.losses < rules.maxCarryOvers
            ? await openDraw(this.deps, officeId, office.tz, rules, this.deps.now())
            : null;
        if (next) {
          const r = await this.deps.entries.join({
            accountId: e.accountId,
            personId: e.personId,
            nikHash: e.nikHash,
            category: e.category,
            officeId,
            drawDate: next.drawDate,
            targetDate: next.targetDate,
            prefs: e.prefs,
            losses: e.losses + 1,
            carriedFrom: ticket,
          });
          if (r.ok) {
            carried++;
            await this.deps.entries.markCarried(e.accountId, ticket, r.entry.ticket);
            await this.notify({
              event: `carried:${officeId}:${drawDate}:${ticket}`,
              accountId: e.accountId,
              template: 'carried_over',
              vars: { ticket, nextDraw: next.closesAtLocal },
            });
            continue;
          }
        }
        lost++;
        await this.notify({
          event: `lost:${officeId}:${drawDate}:${ticket}`,
          accountId: e.accountId,
          template: 'lost',
          vars: { ticket, targetDate: date },
        });
      }
    }
    await this.deps.redis.del(keys.dayWaitlist(officeId, date));
    return { carried, lost };
  }

  /** The evening before: a reminder to everyone confirmed for that day, with the plea to cancel if they cannot come. */
  async sendReminders(officeId: string, date: string): Promise<number> {
    const { office, rules } = await this.officeRules(officeId);
    let n = 0;
    for (const a of await this.deps.appointments.forDay(officeId, date)) {
      if (a.state !== 'confirmed') continue;
      await this.notify({
        event: `reminder.${a.code}`,
        accountId: a.accountId,
        template: 'reminder',
        vars: { office: office.name, slot: this.slotText(office, rules, date, a.sessionId), code: a.code },
        appointment: this.appointmentInfo(office, rules, a),
      });
      n++;
    }
    return n;
  }

  /** After a session's check-in window: confirmed but absent becomes no_show, with a strike. */
  async markNoShows(officeId: string, date: string, sessionId: string): Promise<number> {
    const { office, rules } = await this.officeRules(officeId);
    const w = sessionWindow(rules, office.tz, date, sessionId);
    if (!w || this.deps.now() < w.checkInUntil) return 0;
    let n = 0;
    for (const a of await this.deps.appointments.forDay(officeId, date)) {
      if (a.sessionId !== sessionId || a.state !== 'confirmed') continue;
      const r = await this.deps.appointments.transition(a, ['confirmed'], 'no_show', 'did not check in', {
        endsActive: true,
      });
      if (!r.ok) continue;
      n++;
      const strike = await this.deps.appointments.strike(a.nikHash, a.code, rules.noShow);
      await this.notify({
        event: `noshow:${a.code}`,
        accountId: a.accountId,
        template: 'no_show_strike',
        vars: {
          code: a.code,
          until: this.instant(office, this.deps.now().getTime() + rules.noShow.strikeDays * 86_400_000),
          strikes: strike.strikes,
        },
      });
    }
    return n;
  }

  /** Check-in at the counter: the officer's office, the right day, inside the session window plus grace. */
  async checkIn(officer: StaffUser, code: string): Promise<Appointment> {
    const a = await this.deps.appointments.byCode(code);
    if (!a) throw new LifecycleError('unknown_code', 'no appointment has this code', 404);
    if (officer.role === 'officer' && officer.officeId !== a.officeId) {
      throw new LifecycleError('wrong_office', 'this appointment is for another office', 403);
    }
    const { office, rules } = await this.officeRules(a.officeId);
    const w = sessionWindow(rules, office.tz, a.date, a.sessionId);
    const now = this.deps.now();
    if (a.state === 'checked_in')
      throw new LifecycleError('already_checked_in', 'this code was already used');
    if (a.state !== 'confirmed') throw new LifecycleError('not_confirmed', `the appointment is ${a.state}`);
    if (!w) throw new LifecycleError('wrong_day', 'the session no longer exists');
    const today = DateTime.fromJSDate(now, { zone: office.tz }).toISODate();
    if (today !== a.date) throw new LifecycleError('wrong_day', `the appointment is on ${a.date}`);
    // Early arrivals may check in up to an hour before their session; the counter decides beyond that.
    if (now.getTime() < w.start.getTime() - 3600_000 || now > w.checkInUntil) {
      throw new LifecycleError(
        'outside_window',
        `the session is ${formatLocal(office.tz, w.start.getTime())}`,
      );
    }
    const r = await this.deps.appointments.transition(
      a,
      ['confirmed'],
      'checked_in',
      `checked in by ${officer.username}`,
      {
        endsActive: true,
      },
    );
    if (!r.ok) throw new LifecycleError('not_confirmed', `the appointment is ${r.state}`);
    return (await this.deps.appointments.get(a.officeId, a.code))!;
  }
}
