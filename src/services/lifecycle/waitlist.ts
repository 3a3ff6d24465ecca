// The day's waitlist: a released place is offered to the best-ranked entry still waiting, and at the
// cut-off whoever is left is carried into the office's next draw or marked lost.
import { offerCutoffInstant, standbyMoment } from '../../domain/calendar.ts';
import { type Rules, standbyAfterMinutes } from '../../domain/rules.ts';
import { keys } from '../../redis/keys.ts';
import type { Appointment } from '../../store/appointments.ts';
import { parseResults } from '../../store/draws.ts';
import { type PackedEntry, unpackEntry } from '../../store/entry-codec.ts';
import type { Office } from '../../store/offices.ts';
import { type StandbyPerson, StandbyStore } from '../../store/standby.ts';
import { openDraw } from '../open-draw.ts';
import { jobIds, type LifecycleContext } from './context.ts';

/** A place left a holding state (cancelled, forfeited): offer it on, as its own job where a worker runs. */
export async function release(ctx: LifecycleContext, a: Appointment): Promise<void> {
  const q = ctx.deps.queues()?.lifecycle;
  if (q) {
    await q.add(
      'offer-next',
      { officeId: a.officeId, date: a.date, sessionId: a.sessionId, releasedCode: a.code },
      { jobId: jobIds.offerNext(a.code) },
    );
  } else {
    await offerNext(ctx, a.officeId, a.date, a.sessionId, a.code);
  }
}

/**
 * Gives a released place to the best-ranked waitlisted entry whose preferences allow that session and
 * who still holds that ticket (someone who left the waitlist or was carried on is skipped and removed).
 */
export async function offerNext(
  ctx: LifecycleContext,
  officeId: string,
  date: string,
  sessionId: string,
  releasedCode: string,
): Promise<string | null> {
  const { deps } = ctx;
  const { office, rules } = await ctx.officeRules(officeId);
  if (deps.now() >= offerCutoffInstant(rules, office.tz, date)) return null;
  const session = rules.sessions.find((s) => s.id === sessionId);
  if (!session) return null;
  // A place moved from a closed day keeps its own draw's ticket; the day's waitlist is of another draw.
  const [own, dayDraw] = await deps.redis.hmget(
    keys.appointment(officeId, releasedCode),
    'drawDate',
    'dayDrawDate',
  );
  const drawDate = dayDraw ?? own ?? '';
  // Before that day's draw closes the place was taken out of the draw; the draw gets it back.
  if (
    dayDraw &&
    (await deps.closedDays.unreserve(officeId, dayDraw, date, sessionId, releasedCode)) === 'returned'
  ) {
    return null;
  }
  for (let start = 0; ; start += 100) {
    const tickets = await deps.appointments.waitlist(officeId, date, start, 100);
    if (tickets.length === 0) return null;
    const packed = await deps.entries.packedEntries(officeId, drawDate, tickets);
    for (let i = 0; i < tickets.length; i++) {
      const ticket = tickets[i]!;
      const e = packed[i] ? unpackEntry(packed[i]!) : null;
      const pointer = `${officeId}|${drawDate}|${ticket}`;
      const stillHere = e && (await deps.entries.activeOf(e.nikHash)) === pointer;
      if (!e || !stillHere) {
        await deps.appointments.removeFromWaitlist(officeId, date, ticket);
        start--;
        continue;
      }
      if (e.prefs && !e.prefs.includes(sessionId)) continue;
      // A group is offered only whole: one script checks that the session has a place for every member
      // and takes them all, so concurrent releases can never seat part of a group.
      const group = [{ ticket, e }];
      if (e.group) {
        const others = (await deps.draws.groupMembers(officeId, drawDate, [ticket], true)).get(ticket) ?? [];
        const packedOthers = await deps.entries.packedEntries(officeId, drawDate, others);
        others.forEach((t, k) => {
          const p = packedOthers[k];
          if (p) group.push({ ticket: t, e: unpackEntry(p) });
        });
      }
      const deadline = ctx.deadlineFor(rules, office, date, rules.waitlistOfferWindowHours);
      const inputs = group.map((m) => ({
        officeId,
        date,
        drawDate,
        ticket: m.ticket,
        sessionId,
        capacity: session.capacity,
        deadline,
        accountId: m.e.accountId,
        personId: m.e.personId,
        nikHash: m.e.nikHash,
        source: 'waitlist' as const,
        cause: `waitlist offer after ${releasedCode} was released`,
      }));
      const r = await deps.appointments.offerGroup(inputs);
      if (r.status === 'full') {
        // A single place taken meanwhile leaves nothing to offer; a group may still leave room for a smaller one.
        if (group.length === 1) return null;
        continue;
      }
      let first: string | null = null;
      for (const [k, o] of r.members.entries()) {
        if (!o.isNew) continue;
        first ??= o.code;
        const m = group[k]!;
        await ctx.schedule('forfeit', { officeId, code: o.code }, jobIds.forfeit(o.code), deadline);
        await ctx.notify({
          event: `offer:${o.code}`,
          accountId: m.e.accountId,
          template: 'waitlist_offer',
          vars: {
            office: office.name,
            slot: ctx.slotText(office, rules, date, sessionId),
            code: o.code,
            deadline: ctx.instant(office, deadline),
          },
          appointment: ctx.appointmentInfo(office, rules, { code: o.code, date, sessionId }),
        });
      }
      if (first === null) continue;
      return first;
    }
  }
}

/**
 * At the cut-off the day's waitlist ends: each entry still waiting is carried into the office's next
 * draw with one more loss (a bigger, capped bonus) or, past the carry-over limit, marked lost. Where the
 * office keeps a standby line, each also joins the day's line in rank order (groups whole) and is told.
 */
export async function closeWaitlist(
  ctx: LifecycleContext,
  officeId: string,
  date: string,
  drawDate: string,
): Promise<{ carried: number; lost: number }> {
  const { deps } = ctx;
  const { office, rules } = await ctx.officeRules(officeId);
  let carried = 0;
  let lost = 0;
  // Every entry that won nothing in the draw, in rank order (the waitlist set holds only its head).
  const losers = parseResults((await deps.draws.results(officeId, drawDate)) ?? '')
    .filter((r) => r.sessionId === null)
    .map((r) => r.ticket);
  const batch = 500;
  for (let i = 0; i < losers.length; i += batch) {
    const tickets = losers.slice(i, i + batch);
    const [packed, offered] = await Promise.all([
      deps.entries.packedEntries(officeId, drawDate, tickets),
      deps.redis.hmget(keys.ticketAppointment(officeId, drawDate), ...tickets),
    ]);
    for (let j = 0; j < tickets.length; j++) {
      const ticket = tickets[j]!;
      // A waitlisted entry that got an offer is done with the waitlist, whatever became of the offer.
      if (!packed[j] || offered[j]) continue;
      const e = unpackEntry(packed[j]!);
      const pointer = `${officeId}|${drawDate}|${ticket}`;
      if (!(await deps.entries.release(e.nikHash, pointer))) continue;
      const next =
        rules.carryOverLosers && e.losses < rules.maxCarryOvers
          ? await openDraw(deps, officeId, office.tz, rules, deps.now())
          : null;
      const position = i + j;
      if (e.group) {
        const g = await carryGroup(ctx, officeId, drawDate, ticket, e, next);
        if (g.carried) carried++;
        else lost++;
        await joinStandby(ctx, office, rules, date, position, g.members, drawDate, next);
        continue;
      }
      const birthDate = next ? await birthDateOf(ctx, e) : null;
      if (next && birthDate) {
        const r = await deps.entries.join({
          accountId: e.accountId,
          personId: e.personId,
          nikHash: e.nikHash,
          birthDate,
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
          const me = [{ ticket, e, nextTicket: r.entry.ticket }];
          await joinStandby(ctx, office, rules, date, position, me, drawDate, next);
          await deps.entries.markCarried(e.accountId, ticket, r.entry.ticket);
          await ctx.notify({
            event: `carried:${officeId}:${drawDate}:${ticket}`,
            accountId: e.accountId,
            template: 'carried_over',
            vars: { ticket, nextDraw: next.closesAtLocal },
          });
          continue;
        }
      }
      lost++;
      await joinStandby(ctx, office, rules, date, position, [{ ticket, e, nextTicket: '' }], drawDate, null);
      await notifyLost(ctx, officeId, drawDate, date, ticket, e.accountId);
    }
  }
  await deps.redis.del(keys.dayWaitlist(officeId, date));
  return { carried, lost };
}

/** The person's birth date from the account (the packed entry does not carry it), null if the person is gone. */
async function birthDateOf(ctx: LifecycleContext, e: PackedEntry): Promise<string | null> {
  return (await ctx.deps.accounts.person(e.accountId, e.personId))?.birthDate ?? null;
}

function notifyLost(
  ctx: LifecycleContext,
  officeId: string,
  drawDate: string,
  date: string,
  ticket: string,
  accountId: string,
): Promise<void> {
  return ctx.notify({
    event: `lost:${officeId}:${drawDate}:${ticket}`,
    accountId,
    template: 'lost',
    vars: { ticket, targetDate: date },
  });
}

/**
 * A waitlisted group at the cut-off: every member's slot is released, and the members still free are
 * carried into the next draw together, as a new group with one more loss each; true if carried.
 */
async function carryGroup(
  ctx: LifecycleContext,
  officeId: string,
  drawDate: string,
  ticket: string,
  lead: PackedEntry,
  next: Awaited<ReturnType<typeof openDraw>>,
): Promise<{ carried: boolean; members: StandbyMember[] }> {
  const { deps } = ctx;
  const others = (await deps.draws.groupMembers(officeId, drawDate, [ticket])).get(ticket) ?? [];
  const packed = await deps.entries.packedEntries(officeId, drawDate, others);
  const members = [{ ticket, e: lead }];
  for (let k = 0; k < others.length; k++) {
    const p = packed[k];
    if (!p) continue;
    const e = unpackEntry(p);
    if (await deps.entries.release(e.nikHash, `${officeId}|${drawDate}|${others[k]!}`)) {
      members.push({ ticket: others[k]!, e });
    }
  }
  const date = (await deps.draws.meta(officeId, drawDate))?.targetDate ?? '';
  const births = next ? await Promise.all(members.map((m) => birthDateOf(ctx, m.e))) : [];
  // Members whose person record is gone cannot be checked, so they are not carried.
  const carried = members.filter((_, k) => births[k]);
  if (next && carried.length > 0) {
    const r = await deps.entries.joinGroup(
      {
        accountId: lead.accountId,
        officeId,
        drawDate: next.drawDate,
        targetDate: next.targetDate,
        prefs: lead.prefs,
      },
      carried.map((m) => ({
        personId: m.e.personId,
        nikHash: m.e.nikHash,
        birthDate: births[members.indexOf(m)]!,
        category: m.e.category,
        losses: m.e.losses + 1,
        carriedFrom: m.ticket,
        // A member still awaiting the registry stays held from the next draw too.
        ...(m.e.unverified ? { unverified: true } : {}),
      })),
    );
    if (r.ok) {
      const standby = carried.map((m, k) => ({ ...m, nextTicket: r.entries[k]!.ticket }));
      for (let k = 0; k < carried.length; k++) {
        await deps.entries.markCarried(lead.accountId, carried[k]!.ticket, r.entries[k]!.ticket);
      }
      await ctx.notify({
        event: `carried:${officeId}:${drawDate}:${ticket}`,
        accountId: lead.accountId,
        template: 'carried_over',
        vars: { ticket, nextDraw: next.closesAtLocal },
      });
      return { carried: true, members: standby };
    }
  }
  await notifyLost(ctx, officeId, drawDate, date, ticket, lead.accountId);
  return { carried: false, members: members.map((m) => ({ ...m, nextTicket: '' })) };
}

interface StandbyMember {
  ticket: string;
  e: PackedEntry;
  /** The entry carried into the next draw, '' if not carried. */
  nextTicket: string;
}

/**
 * Puts a waitlisted entry (a group whole) on the day's standby line at its rank and tells the account
 * once (the message's event id): come before the first standby moment their preferences allow.
 */
async function joinStandby(
  ctx: LifecycleContext,
  office: Office,
  rules: Rules,
  date: string,
  position: number,
  members: StandbyMember[],
  drawDate: string,
  next: Awaited<ReturnType<typeof openDraw>>,
): Promise<void> {
  const lead = members[0];
  if (!lead || standbyAfterMinutes(rules) === null) return;
  const allowed = rules.sessions.filter((s) => !lead.e.prefs || lead.e.prefs.includes(s.id));
  const until = allowed
    .map((s) => standbyMoment(rules, office.tz, date, s.id)!.getTime())
    .sort((a, b) => a - b)[0];
  if (until === undefined) return;
  const tickets = members.map((m) => m.ticket);
  const rows = members.map((m, k) => ({
    // A group keeps its members side by side on the line: positions are a rank's hundredths.
    position: position + k / 100,
    person: {
      ticket: m.ticket,
      accountId: m.e.accountId,
      personId: m.e.personId,
      nikHash: m.e.nikHash,
      drawDate,
      prefs: lead.e.prefs,
      members: tickets,
      nextDrawDate: m.nextTicket && next ? next.drawDate : '',
      nextTargetDate: m.nextTicket && next ? next.targetDate : '',
      nextTicket: m.nextTicket,
    } satisfies StandbyPerson,
  }));
  await new StandbyStore(ctx.deps.redis).add(office.id, date, rows);
  await ctx.notify({
    event: `standby:${office.id}:${date}:${lead.ticket}`,
    accountId: lead.e.accountId,
    template: 'standby',
    vars: { ticket: tickets.join(', '), office: office.name, until: ctx.instant(office, until) },
  });
}
