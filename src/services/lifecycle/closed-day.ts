// An office closes a service day (flood, outage, a declared day off). Every offer and appointment of the
// day is cancelled and its person moved to a place on a later service day whose draw has not closed
// yet, in the sessions they asked for where one is free, with a confirmation window like any offer.
// Entries waiting for that day's draw move to the office's next draw, a group's members together. Everyone hears why. Safe to repeat:
// a rerun finds what was moved already (movedTo, the ticket's new code, the entry's carriedTo).
import { addDays, isServiceDay, localDate, type NextDraw } from '../../domain/calendar.ts';
import { withClosedDays } from '../../domain/closed-days.ts';
import { minorsAlone } from '../../domain/group.ts';
import type { Rules } from '../../domain/rules.ts';
import { keys } from '../../redis/keys.ts';
import type { Appointment } from '../../store/appointments.ts';
import { GROUP_PREFIX, type PackedEntry, unpackEntry } from '../../store/entry-codec.ts';
import type { Office } from '../../store/offices.ts';
import { openDraw } from '../open-draw.ts';
import { jobIds, type LifecycleContext, LifecycleError } from './context.ts';

/** How many later days a move looks at before giving up (two working weeks and a little). */
export const MOVE_SEARCH_DAYS = 21;

export interface CloseDayResult {
  date: string;
  alreadyClosed: boolean;
  /** Appointments and offers moved to a later day. */
  moved: number;
  /** Cancelled without a later place (none free before the search horizon). */
  unplaced: number;
  /** Entries of the day's draw moved into the next draw. */
  entriesMoved: number;
}

export async function closeDay(
  ctx: LifecycleContext,
  officeId: string,
  date: string,
  reason: string,
  by: string,
): Promise<CloseDayResult> {
  const { deps } = ctx;
  const { office, rules } = await ctx.officeRules(officeId);
  const now = deps.now();
  if (date < localDate(office.tz, now)) {
    throw new LifecycleError('past_date', 'a day in the past cannot be closed', 422);
  }
  const added = await deps.closedDays.close(officeId, {
    date,
    reason,
    by,
    at: now.toISOString(),
    kind: 'closed',
  });
  deps.log.info({ officeId, date, by }, 'service day closed');
  const entriesMoved = await moveEntries(ctx, office, rules, date);
  let moved = 0;
  let unplaced = 0;
  for (const a of await deps.appointments.forDay(officeId, date)) {
    const r = await moveAppointment(ctx, office, rules, a, reason);
    if (r === 'moved') moved++;
    else if (r === 'unplaced') unplaced++;
  }
  return { date, alreadyClosed: !added, moved, unplaced, entriesMoved };
}

/** The rules as the calendar sees them now: the office's own holidays and every closed date. */
async function calendarRules(ctx: LifecycleContext, officeId: string, rules: Rules): Promise<Rules> {
  return withClosedDays(rules, await ctx.deps.closedDays.dates(officeId));
}

async function moveAppointment(
  ctx: LifecycleContext,
  office: Office,
  rules: Rules,
  a: Appointment,
  reason: string,
): Promise<'moved' | 'unplaced' | 'skipped'> {
  const { deps } = ctx;
  const cause = `office closed: ${reason}`;
  if (a.state === 'offered' || a.state === 'confirmed') {
    // The person keeps their one active slot: it passes to the new place, or is released below.
    const r = await deps.appointments.transition(a, ['offered', 'confirmed'], 'cancelled', cause);
    if (!r.ok) return 'skipped';
  } else if (!(a.state === 'cancelled' && !a.movedTo && a.history.at(-1)?.cause === cause)) {
    return 'skipped';
  }
  const existing = await deps.redis.hget(keys.ticketAppointment(a.officeId, a.drawDate), a.ticket);
  const vars = { office: office.name, closedDate: a.date, oldCode: a.code };
  let place: { code: string; date: string; sessionId: string; dayDrawDate: string } | null = null;
  if (existing && existing !== a.code) {
    const done = (await deps.appointments.get(a.officeId, existing))!;
    place = { code: existing, date: done.date, sessionId: done.sessionId, dayDrawDate: a.drawDate };
  } else {
    place = await findPlace(ctx, office, rules, a, cause);
  }
  if (!place) {
    await deps.appointments.releasePerson(a.nikHash, `${a.officeId}|${a.drawDate}|${a.ticket}`);
    await ctx.notify({
      event: `closed:${a.code}`,
      accountId: a.accountId,
      template: 'day_closed_no_seat',
      vars,
    });
    return 'unplaced';
  }
  await deps.appointments.markMoved(a.officeId, a.code, place.code, place.dayDrawDate);
  const moved = await ctx.reread({ officeId: a.officeId, code: place.code });
  await ctx.schedule(
    'forfeit',
    { officeId: a.officeId, code: place.code },
    jobIds.forfeit(place.code),
    moved.deadline,
  );
  await ctx.notify({
    event: `closed:${a.code}`,
    accountId: a.accountId,
    template: 'day_closed_moved',
    vars: {
      ...vars,
      slot: ctx.slotText(office, rules, place.date, place.sessionId),
      code: place.code,
      deadline: ctx.instant(office, moved.deadline),
    },
    appointment: ctx.appointmentInfo(office, rules, moved),
  });
  return 'moved';
}

/**
 * The earliest later service day whose draw has not closed, in a session the person asked for; failing
 * that within the horizon, the earliest such day in any session with room. The place is reserved
 * before the draw of that day closes (day-reserve.lua), and that draw seats its winners in what is left.
 */
async function findPlace(
  ctx: LifecycleContext,
  office: Office,
  rules: Rules,
  a: Appointment,
  cause: string,
): Promise<{ code: string; date: string; sessionId: string; dayDrawDate: string } | null> {
  const { deps } = ctx;
  const calendar = await calendarRules(ctx, office.id, rules);
  const [packed] = await deps.entries.packedEntries(a.officeId, a.drawDate, [a.ticket]);
  const prefs = packed ? unpackEntry(packed).prefs : null;
  const all = rules.sessions.map((s) => s.id);
  // Their ranked sessions first; with "any session", the session they had first, then the others.
  const wanted =
    prefs ?? [a.sessionId, ...all.filter((s) => s !== a.sessionId)].filter((s) => all.includes(s));
  const passes = prefs ? [wanted, all.filter((s) => !wanted.includes(s))] : [wanted];
  for (const sessions of passes) {
    for (let i = 1; i <= MOVE_SEARCH_DAYS; i++) {
      const date = addDays(a.date, i);
      if (!isServiceDay(calendar, date)) continue;
      const dayDrawDate = addDays(date, -rules.daysAhead);
      for (const sessionId of sessions) {
        const session = rules.sessions.find((s) => s.id === sessionId);
        if (!session) continue;
        const r = await deps.closedDays.reserve(a.officeId, dayDrawDate, date, sessionId, session.capacity);
        if (r === 'closed') break;
        if (r === 'full') continue;
        await deps.appointments.unlinkForMove(a);
        const offer = await deps.appointments.offer({
          officeId: a.officeId,
          date,
          drawDate: a.drawDate,
          ticket: a.ticket,
          sessionId,
          capacity: session.capacity,
          deadline: ctx.deadlineFor(rules, office, date, rules.confirmationWindowHours),
          accountId: a.accountId,
          personId: a.personId,
          nikHash: a.nikHash,
          source: 'moved',
          cause: `moved from ${a.date} (${cause})`,
        });
        if (offer.status === 'full') continue;
        return { code: offer.code, date, sessionId, dayDrawDate };
      }
    }
  }
  return null;
}

/**
 * Entries waiting for the closed day's draw go into the office's next draw, keeping their losses (the
 * closing is nobody's loss). A group entry moves as one group (joinGroup), so a family stays together and a
 * minor keeps the adult they entered with. A draw that has already closed is left as it is: its results are
 * moved with the appointments.
 */
async function moveEntries(
  ctx: LifecycleContext,
  office: Office,
  rules: Rules,
  date: string,
): Promise<number> {
  const { deps } = ctx;
  const drawDate = addDays(date, -rules.daysAhead);
  const state = await deps.redis.hget(keys.draw(office.id, drawDate), 'state');
  if (state !== 'open') return 0;
  const calendar = await calendarRules(ctx, office.id, rules);
  const next = await openDraw(deps, office.id, office.tz, calendar, deps.now());
  if (!next || next.drawDate === drawDate) return 0;
  // The whole draw first: a group's members share a bucket, but a bucket may come in several scans.
  const units = new Map<string, Waiting[]>();
  for await (const flat of deps.draws.scanEntries(office.id, drawDate)) {
    for (let i = 0; i < flat.length; i += 2) {
      const ticket = flat[i]!;
      const entry = unpackEntry(flat[i + 1]!);
      const unit = entry.group ? `g:${ticket.slice(0, GROUP_PREFIX)}` : ticket;
      units.set(unit, [...(units.get(unit) ?? []), { ticket, entry }]);
    }
  }
  let moved = 0;
  for (const members of units.values()) {
    members.sort((a, b) => (a.ticket < b.ticket ? -1 : 1));
    const carried = await moveUnit(ctx, office, drawDate, next, members);
    for (const [w, to] of carried) {
      moved++;
      await deps.entries.markCarried(w.entry.accountId, w.ticket, to);
      await ctx.notify({
        event: `closed-entry:${office.id}:${drawDate}:${w.ticket}`,
        accountId: w.entry.accountId,
        template: 'day_closed_entry_moved',
        vars: { office: office.name, closedDate: date, ticket: w.ticket, nextDraw: next.closesAtLocal },
      });
    }
  }
  return moved;
}

interface Waiting {
  ticket: string;
  entry: PackedEntry;
}

/** One single entry or one group into the next draw: the entries moved, each with its new ticket. */
async function moveUnit(
  ctx: LifecycleContext,
  office: Office,
  drawDate: string,
  next: NextDraw,
  waiting: readonly Waiting[],
): Promise<[Waiting, string][]> {
  const { deps } = ctx;
  const members: (Waiting & { pointer: string; birthDate: string })[] = [];
  for (const w of waiting) {
    const pointer = `${office.id}|${drawDate}|${w.ticket}`;
    // A withdrawn or already moved entry no longer holds its person here.
    if ((await deps.entries.activeOf(w.entry.nikHash)) !== pointer) continue;
    // The join checks the person's age (a minor enters only with an adult); a removed person stays put.
    const birthDate = (await deps.accounts.person(w.entry.accountId, w.entry.personId))?.birthDate;
    if (birthDate) members.push({ ...w, pointer, birthDate });
  }
  if (members.length === 0) return [];
  // Checked before any claim is released: a minor whose adult left the group would be refused after it.
  if (
    minorsAlone(
      members.map((m) => ({ personId: m.entry.personId, birthDate: m.birthDate })),
      next.targetDate,
    )
  ) {
    return [];
  }
  const released: typeof members = [];
  for (const m of members) if (await deps.entries.release(m.entry.nikHash, m.pointer)) released.push(m);
  if (released.length === 0) return [];
  const common = {
    accountId: released[0]!.entry.accountId,
    officeId: office.id,
    drawDate: next.drawDate,
    targetDate: next.targetDate,
    prefs: released[0]!.entry.prefs,
  };
  const input = (m: (typeof members)[number]) => ({
    personId: m.entry.personId,
    nikHash: m.entry.nikHash,
    birthDate: m.birthDate,
    category: m.entry.category,
    losses: m.entry.losses,
    carriedFrom: m.ticket,
    ...(m.entry.unverified ? { unverified: true } : {}),
  });
  if (!waiting[0]!.entry.group) {
    const r = await deps.entries.join({ ...common, ...input(released[0]!) });
    return r.ok ? [[released[0]!, r.entry.ticket]] : [];
  }
  const r = await deps.entries.joinGroup(common, released.map(input));
  if (!r.ok) {
    deps.log.warn({ officeId: office.id, drawDate, reason: r.reason }, 'closed day: group not moved');
    return [];
  }
  return released.map((m, i) => [m, r.entries[i]!.ticket]);
}
