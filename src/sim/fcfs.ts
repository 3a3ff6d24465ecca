// First-come booking as the old system ran it: each day, at a fixed time, the quota of one more service day
// opens; requests are served in the order they arrive, so brokers' bots, firing within a second of the
// opening, take what they want first. A booking holds its slot whether or not anyone comes; there is no
// confirmation, no cancellation and no check on identities, so brokers book with invented ones and sell
// the slots on, and whatever they cannot sell stands empty while the quota shows full.
// Pure and in memory: this is the baseline, not fairslot code.
import { addDays, isServiceDay } from '../domain/calendar.ts';
import { dailyQuota } from '../domain/rules.ts';
import { addRound, bump, emptyTally, type Tally, tallyFamilies } from './outcome.ts';
import type { BrokerClient, GenuineApplicant, Population } from './population.ts';
import { exponential, hash32, keyedUniform, mulberry32 } from './random.ts';
import { fcfsLeadDays, officeRules, type Scenario, warmupDays } from './scenario.ts';

interface Request {
  minute: number;
  bot: number | null;
  applicant: GenuineApplicant | null;
}

function minutes(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function runFcfs(s: Scenario, pop: Population): Tally {
  const tally = emptyTally();
  const rng = mulberry32(hash32('fcfs', s.seed));
  const u = (key: string) => keyedUniform(s.seed, key);
  const warmup = warmupDays(s, (o) => officeRules(s, o));
  const openMin = minutes(s.fcfs.openTime);
  const served = new Map<string, number>();
  const gaveUp = new Map<string, number>();

  for (let o = 0; o < s.offices.length; o++) {
    const rules = officeRules(s, o);
    const quota = dailyQuota(rules);
    const lead = fcfsLeadDays(s, o);
    const n = s.days;
    const dates = Array.from({ length: n }, (_, d) => addDays(s.startDate, d));
    const service = dates.map((date) => isServiceDay(rules, date));
    const remaining = service.map((open, t) => (open && t - lead >= 0 ? quota : 0));
    const genuineHeld = new Array<number>(n).fill(0);
    const brokerBooked = new Array<number>(n).fill(0);
    const used = new Array<number>(n).fill(0);
    const brokerUsed = new Array<number>(n).fill(0);
    const brokers = pop.brokers.filter((b) => b.office === o);
    const stock = brokers.map(() => [] as number[]);
    const queues = brokers.map(() => [] as BrokerClient[]);
    const arrivals = pop.genuine.filter((g) => g.office === o);
    let next = 0;
    let waiting: GenuineApplicant[] = [];
    const minors: GenuineApplicant[] = [];
    // Days on which an adult of each family holds a booking.
    const adultDays = new Map<string, Set<number>>();

    // The earliest day open for booking at (day d, minute) that still has a slot.
    const earliestOpen = (d: number, minute: number): number | null => {
      for (let t = d + 1; t <= Math.min(d + lead, n - 1); t++) {
        const opened = t - lead < d || (t - lead === d && minute >= openMin);
        if (opened && remaining[t]! > 0) return t;
      }
      return null;
    };

    for (let d = 0; d < n; d++) {
      while (next < arrivals.length && arrivals[next]!.intentDay === d) waiting.push(arrivals[next++]!);
      const requests: Request[] = [];
      const opensToday = d + lead < n && service[d + lead]!;
      if (opensToday) {
        brokers.forEach((_, b) => {
          for (let k = 0; k < s.brokers.bookingsPerDate; k++) {
            requests.push({
              minute: openMin + exponential(rng, s.brokers.speedSeconds) / 60,
              bot: b,
              applicant: null,
            });
          }
        });
      }
      const stillWaiting: GenuineApplicant[] = [];
      for (const g of waiting) {
        if (d - g.intentDay > g.patienceDays) {
          gaveUp.set(g.key, d);
          continue;
        }
        stillWaiting.push(g);
        const atOpening = () => openMin + exponential(rng, s.fcfs.humanDelaySeconds) / 60;
        if (g.intentDay === d) {
          requests.push({
            minute: g.knowsOpening && g.intentMinute < openMin ? atOpening() : g.intentMinute,
            bot: null,
            applicant: g,
          });
        } else if (u(`retry|${g.group}|${d}`) < s.genuine.retryProbability) {
          requests.push({ minute: g.knowsOpening ? atOpening() : g.intentMinute, bot: null, applicant: g });
        }
      }
      // Ties go to bots: they poll faster than the clock resolves.
      requests.sort((a, b) => a.minute - b.minute || (a.bot === null ? 1 : 0) - (b.bot === null ? 1 : 0));
      const round: { order: number; won: boolean }[] = [];
      for (const r of requests) {
        tally.requests.total++;
        const t = earliestOpen(d, r.minute);
        if (r.bot !== null) {
          tally.requests.broker++;
          if (t === null) continue;
          remaining[t]!--;
          brokerBooked[t]!++;
          stock[r.bot]!.push(t);
          bump(tally, 'brokerBookings');
          continue;
        }
        const g = r.applicant!;
        round.push({ order: r.minute, won: t !== null });
        bump(tally, 'genuineAttempts');
        if (t === null) continue;
        remaining[t]!--;
        genuineHeld[t]!++;
        served.set(g.key, t);
        if (!g.minor) adultDays.set(g.group, (adultDays.get(g.group) ?? new Set()).add(t));
        bump(tally, 'genuineBookings');
        // A child is served only with an adult of the family on the same day (counted once all booked).
        if (g.minor) minors.push(g);
        else if (u(`come|${g.group}`) < s.genuine.showUp) used[t]!++;
      }
      addRound(tally, round);
      waiting = stillWaiting.filter((g) => !served.has(g.key));

      // Brokers sell what they booked to the clients who paid them; a slot nobody bought stays empty.
      brokers.forEach((b, i) => {
        for (const c of b.clients) if (c.arrivalDay === d) queues[i]!.push(c);
        const s0 = stock[i]!.sort((x, y) => x - y);
        while (s0.length > 0 && s0[0]! <= d) {
          s0.shift();
          bump(tally, 'brokerSlotsUnsold');
        }
        queues[i] = queues[i]!.filter((c) => {
          if (d - c.arrivalDay > c.patienceDays) return false;
          const t = s0.shift();
          if (t === undefined) return true;
          bump(tally, 'brokerSlotsSold');
          if (u(`come|${c.key}`) < s.brokers.clientShowUp) {
            used[t]!++;
            brokerUsed[t]!++;
          }
          return false;
        });
      });
    }
    for (const st of stock) bump(tally, 'brokerSlotsUnsold', st.length);
    for (const g of minors) {
      const t = served.get(g.key)!;
      const withAdult = adultDays.get(g.group)?.has(t) ?? false;
      if (withAdult && u(`come|${g.group}`) < s.genuine.showUp) used[t]!++;
    }

    for (let t = warmup; t < n; t++) {
      if (!service[t]) continue;
      tally.days.push({
        date: dates[t]!,
        capacity: quota,
        held: genuineHeld[t]! + brokerBooked[t]!,
        used: used[t]!,
        brokerHeld: brokerBooked[t]!,
        brokerUsed: brokerUsed[t]!,
      });
    }
  }
  tallyFamilies(tally, pop.genuine, (g) => {
    const t = served.get(g.key);
    return t === undefined ? null : String(t);
  });
  for (const g of pop.genuine) {
    tally.waits.push({
      intentDay: g.intentDay,
      servedDay: served.get(g.key) ?? null,
      gaveUpDay: gaveUp.get(g.key) ?? null,
    });
  }
  return tally;
}
