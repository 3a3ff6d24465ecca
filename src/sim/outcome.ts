// What a policy run produced, counted the same way for both policies, and the figures derived from it.
//
// Definitions (docs/simulation.md repeats them):
// - capacity: sum of the daily quota over the measured service days (from warm-up to the last day).
// - held: slots somebody held on the day (first-come: booked; fairslot: confirmed, then checked in or no-show).
// - used: slots of people who came (first-come: booked and came; fairslot: checked in).
// - broker*: slots held by identities that brokers registered or booked with (invented or their clients').
// - brokerWonShare: of persons offered a place (draw win or waitlist offer, kept or not), brokers' share.
// - wait: days from the day a genuine applicant decided to apply to the day of the appointment they got.
//   Someone who never got one counts with the days until they gave up or the run ended: a lower bound, so
//   the figure understates waits wherever many go unserved (which is first-come's failure, not fairslot's).
// - win rate by arrival quartile: within each round (a day's booking race, or one draw), genuine newcomers
//   are ranked by when they arrived and split into quarters; the share of each quarter that got a slot.

export interface DayTally {
  date: string;
  capacity: number;
  held: number;
  used: number;
  brokerHeld: number;
  brokerUsed: number;
}

export interface WaitRecord {
  intentDay: number;
  servedDay: number | null;
  gaveUpDay: number | null;
}

export interface Tally {
  days: DayTally[];
  requests: { total: number; broker: number };
  waits: WaitRecord[];
  quartiles: { wins: [number, number, number, number]; n: [number, number, number, number] };
  flags: { accounts: number; brokerAccounts: number; byReason: Record<string, number> };
  /** Policy-specific counters (bookings unsold, NIKs rejected, waitlist offers, ...). */
  counters: Record<string, number>;
  families: FamilyTally;
}

/**
 * Families (persons who came as one): how many had anyone served, how many had everyone served at one
 * place and time, and the places children held without an adult of theirs there (a child cannot be served
 * alone, so such a place is lost).
 */
export interface FamilyTally {
  served: number;
  together: number;
  childSeats: number;
  childSeatsWasted: number;
}

/**
 * Counts families from each person's place (day and session as one string; null = not served). Only
 * persons of families (group shared with someone else) count.
 */
export function tallyFamilies(
  t: Tally,
  persons: readonly { key: string; group: string; minor: boolean }[],
  placeOf: (p: { key: string; group: string; minor: boolean }) => string | null,
): void {
  const byGroup = new Map<string, { minor: boolean; place: string | null }[]>();
  for (const p of persons) {
    const list = byGroup.get(p.group);
    const entry = { minor: p.minor, place: placeOf(p) };
    if (list) list.push(entry);
    else byGroup.set(p.group, [entry]);
  }
  for (const members of byGroup.values()) {
    if (members.length < 2) continue;
    const places = members.map((m) => m.place);
    if (places.some((x) => x !== null)) {
      t.families.served++;
      if (places.every((x) => x !== null && x === places[0])) t.families.together++;
    }
    const adultPlaces = new Set(members.filter((m) => !m.minor && m.place !== null).map((m) => m.place));
    for (const m of members) {
      if (!m.minor || m.place === null) continue;
      t.families.childSeats++;
      if (!adultPlaces.has(m.place)) t.families.childSeatsWasted++;
    }
  }
}

export function emptyTally(): Tally {
  return {
    days: [],
    requests: { total: 0, broker: 0 },
    waits: [],
    quartiles: { wins: [0, 0, 0, 0], n: [0, 0, 0, 0] },
    flags: { accounts: 0, brokerAccounts: 0, byReason: {} },
    counters: {},
    families: { served: 0, together: 0, childSeats: 0, childSeatsWasted: 0 },
  };
}

export function bump(t: Tally, counter: string, by = 1): void {
  t.counters[counter] = (t.counters[counter] ?? 0) + by;
}

/** One round: `order` ranks newcomers by arrival (smaller = earlier), `won` says who got a slot. */
export function addRound(t: Tally, entrants: readonly { order: number; won: boolean }[]): void {
  // Fewer than four newcomers cannot be split into quarters.
  if (entrants.length < 4) return;
  const sorted = [...entrants].sort((a, b) => a.order - b.order);
  sorted.forEach((e, i) => {
    const q = Math.min(3, Math.floor((i * 4) / sorted.length));
    t.quartiles.n[q]!++;
    if (e.won) t.quartiles.wins[q]!++;
  });
}

export interface PolicyOutcome {
  slotsUsedShare: number;
  /** Of families with anyone served, the share served all together (same day and session). */
  familiesServedTogetherShare: number;
  /** Of the places children held, the share without an adult of their family there (unusable). */
  childSeatsWastedShare: number;
  families: FamilyTally;
  slotsHeldShare: number;
  brokerSlotShare: number;
  brokerDemandShare: number;
  /**
   * Brokers' paying clients among the real people who wanted an appointment (clients / (clients + genuine
   * applicants)): the share brokers could hold if they held slots only for real people.
   */
  clientDemandShare: number;
  /**
   * Of the persons offered a place (a draw win or a waitlist offer, kept or given back), the share brokers
   * registered: what the draw gave brokers, before anyone's choice to keep or hand back. Null under
   * first-come, where a booking is no offer.
   */
  brokerWonShare: number | null;
  waitMedianDays: number;
  waitP95Days: number;
  /** Share of the wait cohort that got an appointment at all. */
  servedShare: number;
  gaveUpShare: number;
  winRateByArrivalQuartile: [number, number, number, number];
  /** Highest minus lowest quartile win rate: 0 means arrival time made no difference. */
  arrivalFairnessGap: number;
  flaggedAccounts: number;
  flaggedBrokerAccounts: number;
  flagsByReason: Record<string, number>;
  capacity: number;
  held: number;
  used: number;
  brokerHeld: number;
  requests: number;
  brokerRequests: number;
  genuineApplicants: number;
  waitCohort: number;
  counters: Record<string, number>;
  daily: DayTally[];
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const ratio = (a: number, b: number) => (b > 0 ? round4(a / b) : 0);

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function offeredShare(counters: Record<string, number>): number | null {
  const broker = counters.offeredPersons_broker ?? 0;
  const genuine = counters.offeredPersons_genuine ?? 0;
  return broker + genuine > 0 ? ratio(broker, broker + genuine) : null;
}

export function summarize(
  t: Tally,
  days: number,
  cohortTailDays: number,
  realDemand: { clients: number; genuine: number } = { clients: 0, genuine: 0 },
): PolicyOutcome {
  const sum = (f: (d: DayTally) => number) => t.days.reduce((n, d) => n + f(d), 0);
  const capacity = sum((d) => d.capacity);
  const held = sum((d) => d.held);
  const used = sum((d) => d.used);
  const brokerHeld = sum((d) => d.brokerHeld);
  const lastDay = days - 1;
  const cohort = t.waits.filter((w) => w.intentDay <= lastDay - cohortTailDays);
  const waits = cohort
    .map((w) => {
      if (w.servedDay !== null) return w.servedDay - w.intentDay;
      return (w.gaveUpDay ?? lastDay) - w.intentDay;
    })
    .sort((a, b) => a - b);
  const rates = t.quartiles.n.map((n, i) => ratio(t.quartiles.wins[i]!, n)) as [
    number,
    number,
    number,
    number,
  ];
  return {
    slotsUsedShare: ratio(used, capacity),
    familiesServedTogetherShare: ratio(t.families.together, t.families.served),
    childSeatsWastedShare: ratio(t.families.childSeatsWasted, t.families.childSeats),
    families: t.families,
    slotsHeldShare: ratio(held, capacity),
    brokerSlotShare: ratio(brokerHeld, held),
    brokerDemandShare: ratio(t.requests.broker, t.requests.total),
    clientDemandShare: ratio(realDemand.clients, realDemand.clients + realDemand.genuine),
    brokerWonShare: offeredShare(t.counters),
    waitMedianDays: percentile(waits, 0.5),
    waitP95Days: percentile(waits, 0.95),
    servedShare: ratio(cohort.filter((w) => w.servedDay !== null).length, cohort.length),
    gaveUpShare: ratio(
      cohort.filter((w) => w.servedDay === null && w.gaveUpDay !== null).length,
      cohort.length,
    ),
    winRateByArrivalQuartile: rates,
    arrivalFairnessGap: round4(Math.max(...rates) - Math.min(...rates)),
    flaggedAccounts: t.flags.accounts,
    flaggedBrokerAccounts: t.flags.brokerAccounts,
    flagsByReason: t.flags.byReason,
    capacity,
    held,
    used,
    brokerHeld,
    requests: t.requests.total,
    brokerRequests: t.requests.broker,
    genuineApplicants: t.waits.length,
    waitCohort: cohort.length,
    counters: Object.fromEntries(Object.entries(t.counters).sort(([a], [b]) => a.localeCompare(b))),
    daily: foldDays(t.days),
  };
}

/** Tallies of separate runs (one per office) added up. */
export function mergeTallies(parts: readonly Tally[]): Tally {
  const t = emptyTally();
  for (const p of parts) {
    t.days.push(...p.days);
    t.requests.total += p.requests.total;
    t.requests.broker += p.requests.broker;
    t.waits.push(...p.waits);
    for (let q = 0; q < 4; q++) {
      t.quartiles.wins[q]! += p.quartiles.wins[q]!;
      t.quartiles.n[q]! += p.quartiles.n[q]!;
    }
    t.flags.accounts += p.flags.accounts;
    t.flags.brokerAccounts += p.flags.brokerAccounts;
    for (const [k, v] of Object.entries(p.flags.byReason))
      t.flags.byReason[k] = (t.flags.byReason[k] ?? 0) + v;
    for (const [k, v] of Object.entries(p.counters)) bump(t, k, v);
    t.families.served += p.families.served;
    t.families.together += p.families.together;
    t.families.childSeats += p.families.childSeats;
    t.families.childSeatsWasted += p.families.childSeatsWasted;
  }
  return t;
}

/** Per-office day tallies folded into one row per date, in date order. */
export function foldDays(rows: readonly DayTally[]): DayTally[] {
  const byDate = new Map<string, DayTally>();
  for (const r of rows) {
    const d = byDate.get(r.date) ?? {
      date: r.date,
      capacity: 0,
      held: 0,
      used: 0,
      brokerHeld: 0,
      brokerUsed: 0,
    };
    d.capacity += r.capacity;
    d.held += r.held;
    d.used += r.used;
    d.brokerHeld += r.brokerHeld;
    d.brokerUsed += r.brokerUsed;
    byDate.set(r.date, d);
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}
