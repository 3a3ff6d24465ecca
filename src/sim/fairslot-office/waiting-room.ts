// The waiting room under simulation, hour by hour: the sweep, arrivals, give-ups, withdrawals and
// (re-)entries through the real join.
import { DateTime } from 'luxon';
import { nextDraw } from '../../domain/calendar.ts';
import { bump } from '../outcome.ts';
import { refreshOffers } from './appointments.ts';
import { registerGenuine, registerIdentity, setUpBroker } from './registration.ts';
import type { Items, OfficeSim, SimPerson } from './state.ts';

function needsEntry(p: SimPerson, day: number, at: number): boolean {
  if (p.status !== 'waiting' || at < p.bannedUntil) return false;
  // A weekly try regardless, in case an ending went unnoticed: the join refuses it if they are still in.
  return !p.entered || day - p.lastAttemptDay >= 7;
}

export async function round(sim: OfficeSim, at: number, { day, hour }: Items['round']): Promise<void> {
  if (hour === 0) sim.input.onProgress?.(day);
  // The sweep forfeits offers past their deadline (delayed jobs do it in production, the sweep backs them
  // up). It runs on the hour once a known offer's deadline has passed: a sweep with nothing due is a no-op.
  const forfeited = sim.dueDeadlines.some((d) => d <= at) ? await sim.deps.lifecycle.sweep() : 0;
  sim.dueDeadlines = sim.dueDeadlines.filter((d) => d > at);
  if (forfeited > 0) {
    bump(sim.tally, 'forfeits', forfeited);
    for (const date of [...sim.live].sort()) await refreshOffers(sim, date);
  }

  const joins: { person: SimPerson; order: number }[] = [];
  const withdrawals: SimPerson[] = [];
  for (const p of sim.byHour[hour]!) {
    if (p.status === 'gaveup' && p.withdrawDays > 0) {
      p.withdrawDays--;
      withdrawals.push(p);
    }
    if (p.status !== 'waiting' || p.intentDay >= day) continue;
    if (day - p.intentDay > p.patienceDays) {
      for (const m of familyOf(sim, p)) {
        giveUp(sim, m, day);
        withdrawals.push(m);
      }
      continue;
    }
    if (needsEntry(p, day, at)) joins.push({ person: p, order: at + (p.minute % 60) * 60_000 });
  }
  if (hour === sim.s.brokers.hour) {
    for (const b of sim.brokers) {
      if (day === 0) await setUpBroker(sim, b);
      for (const c of b.broker.clients) {
        if (c.arrivalDay !== day) continue;
        const p = await registerIdentity(sim, b, c, 'client', {
          intentDay: day,
          minute: c.minute,
          patienceDays: c.patienceDays,
        });
        if (p) b.identities.push(p);
      }
      for (const p of b.identities) {
        if (p.status !== 'waiting') continue;
        if (p.kind === 'client' && day - p.intentDay > p.patienceDays) {
          giveUp(sim, p, day);
          withdrawals.push(p);
          continue;
        }
        if (needsEntry(p, day, at)) joins.push({ person: p, order: at });
      }
    }
  }
  if (withdrawals.length) await Promise.all(withdrawals.map((p) => withdraw(sim, p)));
  const arrivals = sim.arrivals.get(`${day}|${hour}`);
  if (arrivals) {
    for (const p of await registerGenuine(sim, arrivals)) {
      joins.push({ person: p, order: at + (p.minute % 60) * 60_000 });
    }
  }
  if (joins.length) await join(sim, joins, day);
}

function giveUp(sim: OfficeSim, p: SimPerson, day: number): void {
  p.status = 'gaveup';
  p.gaveUpDay = day;
  // Entries carried over after someone left would win slots nobody confirms; they withdraw them for a while.
  p.withdrawDays = sim.rules.maxCarryOvers + 1;
}

async function withdraw(sim: OfficeSim, p: SimPerson): Promise<void> {
  const today = DateTime.fromJSDate(sim.sys.clock.now, { zone: sim.tz }).toISODate()!;
  for (const e of await sim.deps.entries.forAccount(p.accountId)) {
    if (e.personId !== p.personId || e.status !== 'pending' || e.drawDate < today) continue;
    const r = await sim.deps.entries.withdraw(p.accountId, { ...e, nikHash: p.nikHash }, 'withdrawn');
    if (r === 'done') bump(sim.tally, 'withdrawn');
  }
}

/** One batch of joins through the real join; each call draws its ticket at the same point of its path. */
async function join(
  sim: OfficeSim,
  list: { person: SimPerson; order: number }[],
  day: number,
): Promise<void> {
  const draw = nextDraw(sim.rules, sim.tz, sim.sys.clock.now);
  if (!draw) return;
  const categories = new Set(sim.rules.priorityCategories.map((c) => c.id));
  const categoryOf = (p: SimPerson) => (p.category && categories.has(p.category) ? p.category : null);
  const results = await Promise.all(
    list.map(({ person: p }) => {
      const family = familyOf(sim, p).filter((m) => m.status === 'waiting');
      if (family.length > 1) return joinFamily(sim, family, draw, categoryOf);
      return sim.deps.entries.join({
        accountId: p.accountId,
        personId: p.personId,
        nikHash: p.nikHash,
        birthDate: p.birthDate,
        category: p.category && categories.has(p.category) ? p.category : null,
        officeId: sim.id,
        drawDate: draw.drawDate,
        targetDate: draw.targetDate,
        prefs: null,
      });
    }),
  );
  results.forEach((r, i) => {
    const { person: p, order } = list[i]!;
    p.lastAttemptDay = day;
    if (!r.ok) {
      bump(sim.tally, `joinsRefused_${r.reason}`);
      // Still in a draw, on a waitlist or holding an offer: nothing to do until told otherwise.
      p.entered = r.reason === 'active_elsewhere' || r.reason === 'duplicate';
      if (r.reason === 'banned') p.bannedUntil = r.bannedUntil.getTime();
      return;
    }
    for (const m of familyOf(sim, p)) m.entered = true;
    bump(sim.tally, `joins_${p.kind}`);
    if (p.kind === 'genuine') {
      const fresh = sim.fresh.get(r.entry.drawDate);
      if (fresh) fresh.push({ ticket: r.entry.ticket, order });
      else sim.fresh.set(r.entry.drawDate, [{ ticket: r.entry.ticket, order }]);
    }
  });
}

/** The person's family, the applicant first; a person alone is a family of one. */
export function familyOf(sim: OfficeSim, p: SimPerson): SimPerson[] {
  return sim.families.get(p.group) ?? [p];
}

/** A family enters as one group entry; the answer looks like one join, with the applicant's ticket. */
async function joinFamily(
  sim: OfficeSim,
  family: SimPerson[],
  draw: { drawDate: string; targetDate: string },
  categoryOf: (p: SimPerson) => string | null,
) {
  const r = await sim.deps.entries.joinGroup(
    {
      accountId: family[0]!.accountId,
      officeId: sim.id,
      drawDate: draw.drawDate,
      targetDate: draw.targetDate,
      prefs: null,
    },
    family.map((m) => ({
      personId: m.personId,
      nikHash: m.nikHash,
      birthDate: m.birthDate,
      category: categoryOf(m),
    })),
  );
  bump(sim.tally, r.ok ? 'familyJoins' : `familyJoinsRefused_${r.reason}`);
  return r.ok ? { ok: true as const, entry: r.entries[0]!, entryCount: r.entryCount } : r;
}
