// The draw and what follows under simulation: offers, the holders' answers (confirm, cancel, come to the
// counter), and the waitlist's cut-off, all through Lifecycle.

import { sessionWindow } from '../../domain/calendar.ts';
import { keys } from '../../redis/keys.ts';
import { CounterDesk, CounterRefusal } from '../../services/counter-desk.ts';
import { DrawRunner } from '../../services/draw-runner.ts';
import { LifecycleError } from '../../services/lifecycle/index.ts';
import type { Appointment } from '../../store/appointments.ts';
import { parseResults } from '../../store/draws.ts';
import { unpackEntry } from '../../store/entry-codec.ts';
import { addRound, bump } from '../outcome.ts';
import { HOUR, type Items, type OfficeSim, type SimPerson } from './state.ts';

export async function draw(sim: OfficeSim, { drawDate, target }: Items['draw']): Promise<void> {
  await new DrawRunner(sim.deps).run(sim.id, drawDate);
  await sim.deps.lifecycle.fanout(sim.id, drawDate);
  bump(sim.tally, 'draws');
  for await (const flat of sim.deps.draws.scanEntries(sim.id, drawDate)) {
    for (let i = 1; i < flat.length; i += 2) {
      sim.tally.requests.total++;
      if (sim.brokerAccounts.has(unpackEntry(flat[i]!).accountId)) sim.tally.requests.broker++;
    }
  }
  const rows = parseResults((await sim.deps.draws.results(sim.id, drawDate)) ?? '');
  const winners = new Set(rows.filter((r) => r.sessionId).map((r) => r.ticket));
  const fresh = sim.fresh.get(drawDate) ?? [];
  addRound(
    sim.tally,
    fresh.map((f) => ({ order: f.order, won: winners.has(f.ticket) })),
  );
  sim.fresh.delete(drawDate);
  sim.live.add(target);
  await refreshOffers(sim, target);
}

/** New appointments of one day (draw wins, waitlist offers) and the holders' answers to them. */
export async function refreshOffers(sim: OfficeSim, date: string): Promise<void> {
  const codes = (await sim.deps.redis.smembers(keys.dayAppointments(sim.id, date)))
    .filter((c) => !sim.knownCodes.has(c))
    .sort();
  if (codes.length === 0) return;
  const appts = await Promise.all(codes.map((c) => sim.deps.appointments.get(sim.id, c)));
  for (const a of appts) {
    if (!a) continue;
    sim.knownCodes.add(a.code);
    if (a.source === 'waitlist') bump(sim.tally, 'waitlistOffers');
    const holder = sim.persons.get(a.personId);
    if (holder) {
      sim.byCode.set(a.code, holder);
      if (!sim.offeredPersons.has(holder.key)) {
        sim.offeredPersons.add(holder.key);
        bump(sim.tally, holder.kind === 'genuine' ? 'offeredPersons_genuine' : 'offeredPersons_broker');
      }
    }
    if (a.state !== 'offered') continue;
    sim.dueDeadlines.push(a.deadline);
    answer(sim, a);
  }
}

function answer(sim: OfficeSim, a: Appointment): void {
  const p = sim.persons.get(a.personId);
  const { s } = sim;
  // Someone who gave up never answers; the offer lapses and the sweep passes the slot on.
  if (p?.status !== 'waiting') return;
  let confirm: boolean;
  let comes = false;
  let cancels = false;
  // A family decides together: every key is the family's, so all members answer alike.
  const k = `${p.group}|${a.date}|${a.source}`;
  if (p.kind === 'fake') {
    // Nobody can use it at the counter (the passport must match), but a broker may hold it to resell.
    confirm = sim.u(`confirm-fake|${k}`) < s.brokers.confirmFakeWins;
  } else {
    comes = sim.u(`come|${p.group}`) < (p.kind === 'genuine' ? s.genuine.showUp : s.brokers.clientShowUp);
    cancels = p.kind === 'genuine' && !comes && sim.u(`caught|${p.group}`) < s.genuine.noShowCaughtShare;
    confirm = sim.u(`confirm|${k}`) < s.genuine.confirmRate;
  }
  if (!confirm) {
    bump(sim.tally, 'offersLeftToLapse');
    return;
  }
  const now = sim.sys.clock.now.getTime();
  sim.timeline.add(answerTime(now, a.deadline, sim.u(`when|${k}`)), 'confirm', {
    person: p,
    appt: a,
    comes,
    cancels,
  });
}

/** Some time before the deadline, on the hour where possible so answers batch together. */
function answerTime(now: number, deadline: number, u: number): number {
  const onHour = Math.ceil((now + u * (deadline - now)) / HOUR) * HOUR;
  if (onHour > now && onHour < deadline) return onHour;
  return now + Math.max(1, Math.floor((deadline - now) / 2));
}

export async function confirms(sim: OfficeSim, at: number, all: Items['confirm'][]): Promise<void> {
  // Someone may have given up between the offer and the moment they would have answered.
  const items = all.filter((c) => c.person.status === 'waiting');
  const done = await Promise.all(
    items.map(async (c) => {
      try {
        await sim.deps.lifecycle.confirm(c.person.accountId, c.appt.code);
        return true;
      } catch (err) {
        if (!(err instanceof LifecycleError)) throw err;
        bump(sim.tally, `confirmRefused_${err.code}`);
        return false;
      }
    }),
  );
  items.forEach((c, i) => {
    if (!done[i]) return;
    const { person: p, appt: a } = c;
    p.status = 'holding';
    p.servedDay = sim.dayIndex.get(a.date) ?? null;
    p.servedSession = a.sessionId;
    bump(sim.tally, `confirmed_${p.kind}`);
    if (c.cancels) {
      // The product's reminder (SMS evidence: a third to two fifths fewer no-shows) makes them cancel.
      sim.cancelOnReminder.set(a.code, { person: p, appt: a });
    } else if (c.comes) {
      const start = sim.instant(
        `start|${a.date}|${a.sessionId}`,
        () => sessionWindow(sim.rules, sim.tz, a.date, a.sessionId)?.start.getTime() ?? 0,
      );
      if (start > at) sim.timeline.add(start, 'checkIn', { person: p, code: a.code });
    }
  });
}

/**
 * A reminder reaches a holder: one who will not come and is caught by it cancels within
 * `reminderReplyHours`; the production cancel refuses it past the cut-off.
 */
export function reminded(sim: OfficeSim, code: string): void {
  sim.reminded.add(code);
  const c = sim.cancelOnReminder.get(code);
  if (c?.person.status !== 'holding') return;
  const now = sim.sys.clock.now.getTime();
  const delay = sim.u(`reply|${c.person.group}|${c.appt.date}`) * sim.s.genuine.reminderReplyHours * HOUR;
  sim.timeline.add(now + Math.max(60_000, Math.round(delay)), 'cancel', c);
}

/** One at a time: each release offers the slot to the waitlist, which draws a booking code. */
export async function cancels(sim: OfficeSim, items: Items['cancel'][]): Promise<void> {
  const sorted = [...items].sort((a, b) => a.person.key.localeCompare(b.person.key));
  const touched = new Set<string>();
  for (const { person: p, appt: a } of sorted) {
    try {
      await sim.deps.lifecycle.cancel(p.accountId, a.code);
      p.status = 'done';
      bump(sim.tally, 'cancelled');
      touched.add(a.date);
    } catch (err) {
      if (!(err instanceof LifecycleError)) throw err;
      bump(sim.tally, `cancelRefused_${err.code}`);
    }
  }
  for (const date of [...touched].sort()) await refreshOffers(sim, date);
}

/** Arrivals at the counter go through the officer's own desk (the same rules as the check-in page). */
export async function checkIns(sim: OfficeSim, items: Items['checkIn'][]): Promise<void> {
  const desk = new CounterDesk(sim.deps);
  await Promise.all(
    items.map(async ({ person: p, code }) => {
      // A child is served only with an adult of the family at the same session; alone the place is lost.
      if (p.minor && !adultWith(sim, p)) {
        bump(sim.tally, 'childrenWithoutAdult');
        sim.turnedAway.set(code, 'childWithoutAdult');
        return;
      }
      try {
        // The officer records whether a claim's document was seen, as the counter page requires. Only
        // genuine applicants claim a category here, each with the document the category names.
        await desk.confirm(sim.officer, code, p.category ? 'seen' : null);
        p.status = 'done';
        bump(sim.tally, 'checkedIn');
      } catch (err) {
        if (!(err instanceof CounterRefusal)) throw err;
        bump(sim.tally, `checkInRefused_${err.code}`);
        sim.turnedAway.set(code, `checkInRefused_${err.code}`);
      }
    }),
  );
}

export async function cutoff(sim: OfficeSim, { target, drawDate }: Items['cutoff']): Promise<void> {
  const r = await sim.deps.lifecycle.closeWaitlist(sim.id, target, drawDate);
  bump(sim.tally, 'carriedOver', r.carried);
  bump(sim.tally, 'lostAfterCarryOvers', r.lost);
  sim.live.delete(target);
}

function adultWith(sim: OfficeSim, child: SimPerson): boolean {
  return (sim.families.get(child.group) ?? []).some(
    (m) =>
      !m.minor &&
      m.servedDay === child.servedDay &&
      m.servedSession === child.servedSession &&
      (m.status === 'holding' || m.status === 'done'),
  );
}
