// fairslot under simulation, one office: the production waiting room, draw and lifecycle, driven day by day
// against a private Redis with a clock the simulation moves. Nothing here re-implements a rule: accounts and
// persons go through AccountStore (one NIK per account, household limit, flags), entries through the real
// join (one active entry per person, bans), draws through DrawRunner, and everything after a draw through
// Lifecycle (offers, confirmation, cancellation, forfeits by the sweep, waitlist offers, carry-over,
// check-in, no-shows with strikes). The simulation only decides what people do and counts what happened.
//
// Determinism: every operation that takes randomness from production code (tickets, seeds, ids, booking
// codes) is either started synchronously in a fixed order inside one batch or run one at a time, so with
// seeded entropy a run is reproducible. People's decisions are keyed uniforms, independent of event order.

import {
  addDays,
  drawCloseInstant,
  isDrawDay,
  isServiceDay,
  localDateTime,
  offerCutoffInstant,
  reminderInstant,
  sessionWindow,
  standbyMoment,
  targetDateFor,
} from '../../domain/calendar.ts';
import { dailyQuota } from '../../domain/rules.ts';
import type { NotificationRequest } from '../../notify/request.ts';
import { withSeededEntropy } from '../entropy.ts';
import { bump, type Tally, tallyFamilies } from '../outcome.ts';
import { startPrivateSystem } from '../private-system.ts';
import { cancels, checkIns, confirms, cutoff, draw, reminded } from './appointments.ts';
import { standbySeat, standbyTurnout } from './standby.ts';
import { HOUR, type Items, type OfficeRunInput, OfficeSim, type SimPerson } from './state.ts';
import { round } from './waiting-room.ts';

export type { OfficeRunInput } from './state.ts';

/** One office's fairslot run in its own private system; the seeded entropy is the office's own stream. */
export async function runFairslotOffice(input: OfficeRunInput): Promise<Tally> {
  const go = async () => {
    const sys = await startPrivateSystem({ redisBin: input.redisBin });
    try {
      return await run(new OfficeSim(input, sys));
    } finally {
      await sys.stop();
    }
  };
  const { scenario: s, office } = input;
  return input.entropy === 'seeded'
    ? withSeededEntropy(`fairslot:${s.seed}:${s.offices[office]!.id}`, go)
    : go();
}

async function run(sim: OfficeSim): Promise<Tally> {
  sim.sys.onMessage = (req) => onMessage(sim, req);
  await setUp(sim);
  await sim.timeline.drain((at, name, items) => step(sim, at, name, items));
  await finish(sim);
  return sim.tally;
}

async function setUp(sim: OfficeSim): Promise<void> {
  const { s, rules, tz } = sim;
  const cfg = s.offices[sim.input.office]!;
  await sim.deps.offices.create(
    { id: sim.id, name: cfg.name ?? sim.id, address: 'simulated office', tz },
    rules,
    'simulation',
  );
  for (let d = 0; d < s.days; d++) {
    const date = sim.dates[d]!;
    const midnight = localDateTime(tz, date, '00:00').getTime();
    // A day of 24 hours (no clock change) needs no calendar work per hour.
    const plain = localDateTime(tz, addDays(date, 1), '00:00').getTime() - midnight === 24 * HOUR;
    for (let h = 0; h < 24; h++) {
      const at = plain
        ? midnight + h * HOUR
        : localDateTime(tz, date, `${String(h).padStart(2, '0')}:00`).getTime();
      sim.timeline.add(at, 'round', { day: d, hour: h });
    }
    if (!isDrawDay(rules, date)) continue;
    const target = targetDateFor(rules, date);
    if ((sim.dayIndex.get(target) ?? s.days) >= s.days) continue;
    const drawAt = drawCloseInstant(rules, tz, date).getTime();
    sim.timeline.add(drawAt, 'draw', { drawDate: date, target });
    // If the cut-off falls before the draw (a short daysAhead), the waitlist closes right after it.
    const cutoff = Math.max(offerCutoffInstant(rules, tz, target).getTime(), drawAt + 1);
    sim.timeline.add(cutoff, 'cutoff', { target, drawDate: date });
    // The reminder job fanout schedules, at the same instant (after the draw if the rules put it before).
    const remindAt = Math.max(reminderInstant(rules, tz, target).getTime(), drawAt + 1);
    sim.timeline.add(remindAt, 'reminder', { date: target });
    let lastCheckIn = 0;
    for (const session of rules.sessions) {
      const w = sessionWindow(rules, tz, target, session.id)!;
      sim.timeline.add(w.checkInUntil.getTime(), 'noShow', { date: target, sessionId: session.id });
      const standbyAt = standbyMoment(rules, tz, target, session.id);
      if (standbyAt)
        sim.timeline.add(standbyAt.getTime(), 'standby', { date: target, sessionId: session.id });
      lastCheckIn = Math.max(lastCheckIn, w.checkInUntil.getTime());
    }
    sim.timeline.add(lastCheckIn + 1, 'tally', { date: target });
  }
}

async function step<K extends keyof Items>(
  sim: OfficeSim,
  at: number,
  step: K,
  items: Items[K][],
): Promise<void> {
  sim.sys.clock.now = new Date(at);
  switch (step) {
    case 'round':
      for (const r of items as Items['round'][]) await round(sim, at, r);
      return;
    case 'cutoff':
      for (const c of items as Items['cutoff'][]) {
        await cutoff(sim, c);
        await standbyTurnout(sim, c.target);
      }
      return;
    case 'standby':
      for (const x of items as Items['standby'][]) await standbySeat(sim, x);
      return;
    case 'confirm':
      return confirms(sim, at, items as Items['confirm'][]);
    case 'reminder':
      for (const r of items as Items['reminder'][]) {
        bump(sim.tally, 'reminded', await sim.deps.lifecycle.sendReminders(sim.id, r.date));
      }
      return;
    case 'cancel':
      return cancels(sim, items as Items['cancel'][]);
    case 'checkIn':
      return checkIns(sim, items as Items['checkIn'][]);
    case 'noShow':
      for (const n of items as Items['noShow'][]) {
        bump(sim.tally, 'noShows', await sim.deps.lifecycle.markNoShows(sim.id, n.date, n.sessionId));
      }
      return;
    case 'tally':
      for (const t of items as Items['tally'][]) await tallyDay(sim, t.date);
      return;
    case 'draw':
      for (const d of items as Items['draw'][]) await draw(sim, d);
      return;
  }
}

/**
 * People learn from messages that an entry or an offer ended (a lapsed offer, a loss past the carry-over
 * limit) and enter again; without a message they assume they are still in, as a real applicant would.
 */
function onMessage(sim: OfficeSim, req: NotificationRequest): void {
  if (req.template === 'forfeited') {
    const p = sim.byCode.get(String(req.vars.code));
    // The family's applicant is the one who enters again.
    if (p) for (const m of sim.families.get(p.group) ?? [p]) m.entered = false;
  } else if (req.template === 'reminder') {
    reminded(sim, String(req.vars.code));
  } else if (req.template === 'lost') {
    for (const p of sim.byAccount.get(req.accountId) ?? []) if (p.status === 'waiting') p.entered = false;
  }
}

/** After the day's last check-in window: count the day from the appointments' final states. */
async function tallyDay(sim: OfficeSim, date: string): Promise<void> {
  let held = 0;
  let used = 0;
  let brokerHeld = 0;
  let brokerUsed = 0;
  const d = sim.dayIndex.get(date) ?? -1;
  const measured = d >= sim.input.warmup && isServiceDay(sim.rules, date);
  const cutoffAt = offerCutoffInstant(sim.rules, sim.tz, date).getTime();
  const appts = (await sim.deps.appointments.forDay(sim.id, date)).sort((x, y) => (x.code < y.code ? -1 : 1));
  // A place seated from standby was a no-show's (or one nobody held): per session, that many no-shows'
  // places were used after all, so they count neither as held twice nor as unused.
  const recover = new Map<string, number>();
  for (const a of appts) {
    if (a.source === 'standby') recover.set(a.sessionId, (recover.get(a.sessionId) ?? 0) + 1);
  }
  for (const a of appts) {
    if (a.state === 'no_show' && (recover.get(a.sessionId) ?? 0) > 0) {
      recover.set(a.sessionId, recover.get(a.sessionId)! - 1);
      if (measured) bump(sim.tally, 'noShowPlaceSeatedFromStandby');
      const q = sim.persons.get(a.personId);
      if (q) {
        q.status = q.kind === 'fake' ? 'waiting' : 'done';
        q.entered = false;
      }
      continue;
    }
    const p = sim.persons.get(a.personId);
    const broker = sim.brokerAccounts.has(a.accountId);
    if (a.state === 'checked_in' || a.state === 'no_show') {
      held++;
      if (broker) brokerHeld++;
    }
    if (a.state === 'checked_in') {
      used++;
      if (broker) brokerUsed++;
    }
    // A place nobody held on the day: its last offer lapsed at the cut-off, when nothing more is offered.
    if (a.state === 'forfeited' && measured && a.deadline === cutoffAt)
      bump(sim.tally, 'unused_lapsedAtCutoff');
    if (a.state === 'no_show' && measured) bump(sim.tally, `unused_noShow_${whyNoShow(sim, a.code, p)}`);
    if (a.state === 'no_show' && p) {
      // An invented identity goes back into the broker's pool (until its strikes ban it); people are done.
      p.status = p.kind === 'fake' ? 'waiting' : 'done';
      p.entered = false;
    }
  }
  if (measured) {
    bump(sim.tally, 'unused_notHeld', dailyQuota(sim.rules) - held);
    sim.tally.days.push({ date, capacity: dailyQuota(sim.rules), held, used, brokerHeld, brokerUsed });
  }
}

/** Why a held place went unused: who held it and, for a genuine holder, what the reminder did. */
function whyNoShow(sim: OfficeSim, code: string, p: SimPerson | undefined): string {
  if (!p) return 'unknown';
  if (p.kind !== 'genuine') return p.kind;
  const refused = sim.turnedAway.get(code);
  if (refused) return refused;
  if (!sim.cancelOnReminder.has(code)) return 'genuineNotCaught';
  return sim.reminded.has(code) ? 'genuineCancelTooLate' : 'genuineNotReminded';
}

async function finish(sim: OfficeSim): Promise<void> {
  const { flags, total } = await sim.deps.flags.list(1_000_000);
  const accounts = new Set<string>();
  for (const f of flags) {
    sim.tally.flags.byReason[f.reason] = (sim.tally.flags.byReason[f.reason] ?? 0) + 1;
    if (f.accountId) accounts.add(f.accountId);
  }
  bump(sim.tally, 'flags', total);
  for (const [template, n] of Object.entries(sim.sys.messages)) bump(sim.tally, `messages_${template}`, n);
  sim.tally.flags.accounts = accounts.size;
  sim.tally.flags.brokerAccounts = [...accounts].filter((a) => sim.brokerAccounts.has(a)).length;
  tallyFamilies(
    sim.tally,
    sim.input.population.genuine.filter((g) => g.office === sim.input.office),
    (g) => {
      const p = sim.genuineByKey.get(g.key);
      return p?.servedDay == null ? null : `${p.servedDay}|${p.servedSession}`;
    },
  );
  for (const g of sim.input.population.genuine) {
    if (g.office !== sim.input.office) continue;
    const p = sim.genuineByKey.get(g.key);
    sim.tally.waits.push({
      intentDay: g.intentDay,
      servedDay: p?.servedDay ?? null,
      gaveUpDay: p?.gaveUpDay ?? null,
    });
  }
}
