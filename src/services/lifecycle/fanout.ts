// After a draw commits: an offer for each winner, the waitlist's head told its position, and the day's
// timed jobs (forfeits, waitlist cut-off, reminders, no-shows). Safe to repeat.
import { offerCutoffInstant, reminderInstant, sessionWindow } from '../../domain/calendar.ts';
import { keys } from '../../redis/keys.ts';
import { parseResults } from '../../store/draws.ts';
import { unpackEntry } from '../../store/entry-codec.ts';
import { jobIds, type LifecycleContext } from './context.ts';

/** How far down the waitlist offers can reach, in multiples of the day's quota. */
const WAITLIST_DEPTH_FACTOR = 10;

/** Waitlisted entries told their position right after the draw; those further down hear at the cut-off. */
const WAITLIST_NOTIFY_FACTOR = 2;

export async function fanout(
  ctx: LifecycleContext,
  officeId: string,
  drawDate: string,
): Promise<{ offered: number; waitlisted: number }> {
  const { deps } = ctx;
  const meta = await deps.draws.meta(officeId, drawDate);
  if (meta?.state !== 'drawn') throw new Error(`draw ${officeId} ${drawDate} is not drawn`);
  const { office, rules } = await ctx.officeRules(officeId, meta.rulesVersion);
  const rows = parseResults((await deps.draws.results(officeId, drawDate)) ?? '');
  const date = meta.targetDate;
  const capacity = new Map(rules.sessions.map((s) => [s.id, s.capacity]));
  const deadline = ctx.deadlineFor(rules, office, date, rules.confirmationWindowHours);
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
  // A group wins as one: each member gets an offer in the group's session (same rank, own booking code).
  const members = await deps.draws.groupMembers(
    officeId,
    drawDate,
    needed.filter((n) => n.row.sessionId).map((n) => n.row.ticket),
    true,
  );
  if (members.size > 0) {
    for (const n of [...needed]) {
      for (const m of members.get(n.row.ticket) ?? [])
        needed.push({ row: { ...n.row, ticket: m }, position: null });
    }
  }
  const batch = 500;
  for (let i = 0; i < needed.length; i += batch) {
    const slice = needed.slice(i, i + batch);
    const packed = await deps.entries.packedEntries(
      officeId,
      drawDate,
      slice.map((n) => n.row.ticket),
    );
    for (let j = 0; j < slice.length; j++) {
      const { row, position } = slice[j]!;
      const e = unpackEntry(packed[j] ?? '');
      if (!row.sessionId) {
        await ctx.notify({
          event: `waitlisted:${officeId}:${drawDate}:${row.ticket}`,
          accountId: e.accountId,
          template: 'waitlisted',
          vars: { ticket: row.ticket, position: position!, targetDate: date },
        });
        continue;
      }
      const r = await deps.appointments.offer({
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
        deps.log.error({ officeId, drawDate, ticket: row.ticket }, 'draw winner found its session full');
        continue;
      }
      offered++;
      const a = await ctx.reread({ officeId, code: r.code });
      await ctx.schedule('forfeit', { officeId, code: r.code }, jobIds.forfeit(r.code), a.deadline);
      await ctx.notify({
        event: `won:${officeId}:${drawDate}:${row.ticket}`,
        accountId: e.accountId,
        template: 'won',
        vars: {
          office: office.name,
          slot: ctx.slotText(office, rules, date, row.sessionId),
          code: r.code,
          deadline: ctx.instant(office, a.deadline),
        },
        appointment: ctx.appointmentInfo(office, rules, a),
      });
    }
  }
  // Offers only ever reach the head of the waitlist; the rest is carried over from the results at the cut-off.
  // A repeated fan-out (a retried job) must not put back a ticket a released place has reached since.
  const head = waitlist.slice(0, quota * WAITLIST_DEPTH_FACTOR);
  const reached = head.length
    ? await deps.redis.hmget(keys.ticketAppointment(officeId, drawDate), ...head.map((w) => w.ticket))
    : [];
  await deps.appointments.addToWaitlist(
    officeId,
    date,
    head.filter((_, i) => !reached[i]),
  );
  await ctx.schedule(
    'waitlist-close',
    { officeId, date, drawDate },
    jobIds.waitlistClose(officeId, date),
    offerCutoffInstant(rules, office.tz, date).getTime(),
  );
  // The reminder asks holders to give back a seat they will not use while the waitlist can still take it.
  await ctx.schedule(
    'reminder',
    { officeId, date },
    jobIds.reminder(officeId, date),
    reminderInstant(rules, office.tz, date).getTime(),
  );
  for (const s of rules.sessions) {
    const w = sessionWindow(rules, office.tz, date, s.id);
    if (w)
      await ctx.schedule(
        'no-show',
        { officeId, date, sessionId: s.id },
        jobIds.noShow(officeId, date, s.id),
        w.checkInUntil.getTime(),
      );
  }
  return { offered, waitlisted: waitlist.length };
}
