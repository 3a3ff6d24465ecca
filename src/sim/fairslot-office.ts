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
import { DateTime } from 'luxon';
import type { NotificationRequest } from '../deps.ts';
import {
  addDays,
  drawCloseInstant,
  isDrawDay,
  isServiceDay,
  localDateTime,
  nextDraw,
  offerCutoffInstant,
  sessionWindow,
  targetDateFor,
} from '../domain/calendar.ts';
import { maskNik, validateNik } from '../domain/nik.ts';
import { dailyQuota, type Rules } from '../domain/rules.ts';
import { keys } from '../redis/keys.ts';
import { DrawRunner } from '../services/draw-runner.ts';
import { LifecycleError } from '../services/lifecycle.ts';
import type { Appointment } from '../store/appointments.ts';
import { parseResults } from '../store/draws.ts';
import { unpackEntry } from '../store/entry-codec.ts';
import type { StaffUser } from '../store/users.ts';
import { withSeededEntropy } from './entropy.ts';
import { addRound, bump, emptyTally, type Tally } from './outcome.ts';
import type { Broker, GenuineApplicant, Identity, Population } from './population.ts';
import { type PrivateSystem, startPrivateSystem } from './private-system.ts';
import { keyedUniform } from './random.ts';
import type { Scenario } from './scenario.ts';
import { Timeline } from './timeline.ts';

export interface OfficeRunInput {
  scenario: Scenario;
  population: Population;
  /** Index of the office in scenario.offices. */
  office: number;
  rules: Rules;
  /** The persons route applies the most generous office limit nationally, so it comes from all offices. */
  householdLimit: number;
  /** Day index of the first service day counted (the same for every office and both policies). */
  warmup: number;
  /** 'seeded' makes production code's own randomness reproducible (CLI, tests); never in a server. */
  entropy: 'seeded' | 'system';
  redisBin?: string;
  onProgress?: (day: number) => void;
}

type Kind = 'genuine' | 'client' | 'fake';

interface SimPerson {
  key: string;
  kind: Kind;
  accountId: string;
  personId: string;
  nikHash: string;
  category: string | null;
  intentDay: number;
  minute: number;
  patienceDays: number;
  status: 'waiting' | 'holding' | 'done' | 'gaveup';
  /** Believed to hold an entry (or an offer): set by a join, cleared by a message that it ended. */
  entered: boolean;
  lastAttemptDay: number;
  bannedUntil: number;
  servedDay: number | null;
  gaveUpDay: number | null;
  /** Days left on which someone who gave up still withdraws entries carried over for them. */
  withdrawDays: number;
}

interface BrokerState {
  broker: Broker;
  accountIds: string[];
  /** Next account with room under the household limit. */
  cursor: number;
  identities: SimPerson[];
}

interface Items {
  round: { day: number; hour: number };
  cutoff: { target: string; drawDate: string };
  confirm: { person: SimPerson; appt: Appointment; comes: boolean; cancels: boolean };
  cancel: { person: SimPerson; appt: Appointment };
  checkIn: { person: SimPerson; code: string };
  noShow: { date: string; sessionId: string };
  tally: { date: string };
  draw: { drawDate: string; target: string };
}

const HOUR = 3_600_000;

/** One office's fairslot run in its own private system; the seeded entropy is the office's own stream. */
export async function runFairslotOffice(input: OfficeRunInput): Promise<Tally> {
  const go = async () => {
    const sys = await startPrivateSystem({ redisBin: input.redisBin });
    try {
      return await new OfficeRun(input, sys).run();
    } finally {
      await sys.stop();
    }
  };
  const { scenario: s, office } = input;
  return input.entropy === 'seeded'
    ? withSeededEntropy(`fairslot:${s.seed}:${s.offices[office]!.id}`, go)
    : go();
}

class OfficeRun {
  private readonly s: Scenario;
  private readonly id: string;
  private readonly tz: string;
  private readonly rules: Rules;
  private readonly officer: StaffUser;
  private readonly tally = emptyTally();
  private readonly timeline = new Timeline<Items>();
  private readonly dates: string[];
  private readonly dayIndex = new Map<string, number>();
  private readonly arrivals = new Map<string, GenuineApplicant[]>();
  private readonly brokers: BrokerState[];
  private readonly byHour: SimPerson[][] = Array.from({ length: 24 }, () => []);
  private readonly persons = new Map<string, SimPerson>();
  private readonly genuineByKey = new Map<string, SimPerson>();
  private readonly byAccount = new Map<string, SimPerson[]>();
  private readonly byCode = new Map<string, SimPerson>();
  private readonly brokerAccounts = new Set<string>();
  private readonly knownCodes = new Set<string>();
  /** Service days drawn whose offers are still moving (until the cut-off). */
  private readonly live = new Set<string>();
  /** Deadlines of offers seen open and not yet swept past. */
  private dueDeadlines: number[] = [];
  private readonly fresh = new Map<string, { ticket: string; order: number }[]>();
  private readonly instants = new Map<string, number>();

  constructor(
    private readonly input: OfficeRunInput,
    private readonly sys: PrivateSystem,
  ) {
    const { scenario: s, office, population } = input;
    this.s = s;
    this.id = s.offices[office]!.id;
    this.tz = s.offices[office]!.tz;
    this.rules = input.rules;
    this.officer = { username: `sim-officer-${this.id}`, role: 'officer', officeId: this.id };
    this.dates = Array.from({ length: s.days }, (_, d) => addDays(s.startDate, d));
    for (const [i, d] of this.dates.entries()) this.dayIndex.set(d, i);
    for (const g of population.genuine) {
      if (g.office !== office) continue;
      const k = `${g.intentDay}|${Math.floor(g.intentMinute / 60)}`;
      const list = this.arrivals.get(k);
      if (list) list.push(g);
      else this.arrivals.set(k, [g]);
    }
    this.brokers = population.brokers
      .filter((b) => b.office === office)
      .map((broker) => ({ broker, accountIds: [], cursor: 0, identities: [] }));
  }

  private get deps() {
    return this.sys.deps;
  }

  private u(key: string): number {
    return keyedUniform(this.s.seed, key);
  }

  /** Calendar instants are luxon work; thousands of appointments share a handful of them. */
  private instant(key: string, compute: () => number): number {
    let v = this.instants.get(key);
    if (v === undefined) {
      v = compute();
      this.instants.set(key, v);
    }
    return v;
  }

  async run(): Promise<Tally> {
    this.sys.onMessage = (req) => this.onMessage(req);
    await this.setUp();
    await this.timeline.drain((at, step, items) => this.step(at, step, items));
    await this.finish();
    return this.tally;
  }

  // ---- set-up: the office, and the agenda of everything that happens at fixed times -----------------------

  private async setUp(): Promise<void> {
    const { s, rules, tz } = this;
    const cfg = s.offices[this.input.office]!;
    await this.deps.offices.create(
      { id: this.id, name: cfg.name ?? this.id, address: 'simulated office', tz },
      rules,
      'simulation',
    );
    for (let d = 0; d < s.days; d++) {
      const date = this.dates[d]!;
      const midnight = localDateTime(tz, date, '00:00').getTime();
      // A day of 24 hours (no clock change) needs no calendar work per hour.
      const plain = localDateTime(tz, addDays(date, 1), '00:00').getTime() - midnight === 24 * HOUR;
      for (let h = 0; h < 24; h++) {
        const at = plain
          ? midnight + h * HOUR
          : localDateTime(tz, date, `${String(h).padStart(2, '0')}:00`).getTime();
        this.timeline.add(at, 'round', { day: d, hour: h });
      }
      if (!isDrawDay(rules, date)) continue;
      const target = targetDateFor(rules, date);
      if ((this.dayIndex.get(target) ?? s.days) >= s.days) continue;
      const drawAt = drawCloseInstant(rules, tz, date).getTime();
      this.timeline.add(drawAt, 'draw', { drawDate: date, target });
      // If the cut-off falls before the draw (a short daysAhead), the waitlist closes right after it.
      const cutoff = Math.max(offerCutoffInstant(rules, tz, target).getTime(), drawAt + 1);
      this.timeline.add(cutoff, 'cutoff', { target, drawDate: date });
      let lastCheckIn = 0;
      for (const session of rules.sessions) {
        const w = sessionWindow(rules, tz, target, session.id)!;
        this.timeline.add(w.checkInUntil.getTime(), 'noShow', { date: target, sessionId: session.id });
        lastCheckIn = Math.max(lastCheckIn, w.checkInUntil.getTime());
      }
      this.timeline.add(lastCheckIn + 1, 'tally', { date: target });
    }
  }

  private async step<K extends keyof Items>(at: number, step: K, items: Items[K][]): Promise<void> {
    this.sys.clock.now = new Date(at);
    switch (step) {
      case 'round':
        for (const r of items as Items['round'][]) await this.round(at, r);
        return;
      case 'cutoff':
        for (const c of items as Items['cutoff'][]) await this.cutoff(c);
        return;
      case 'confirm':
        return this.confirms(at, items as Items['confirm'][]);
      case 'cancel':
        return this.cancels(items as Items['cancel'][]);
      case 'checkIn':
        return this.checkIns(items as Items['checkIn'][]);
      case 'noShow':
        for (const n of items as Items['noShow'][]) {
          bump(this.tally, 'noShows', await this.deps.lifecycle.markNoShows(this.id, n.date, n.sessionId));
        }
        return;
      case 'tally':
        for (const t of items as Items['tally'][]) await this.tallyDay(t.date);
        return;
      case 'draw':
        for (const d of items as Items['draw'][]) await this.draw(d);
        return;
    }
  }

  /**
   * People learn from messages that an entry or an offer ended (a lapsed offer, a loss past the carry-over
   * limit) and enter again; without a message they assume they are still in, as a real applicant would.
   */
  private onMessage(req: NotificationRequest): void {
    if (req.template === 'forfeited') {
      const p = this.byCode.get(String(req.vars.code));
      if (p) p.entered = false;
    } else if (req.template === 'lost') {
      for (const p of this.byAccount.get(req.accountId) ?? []) if (p.status === 'waiting') p.entered = false;
    }
  }

  private needsEntry(p: SimPerson, day: number, at: number): boolean {
    if (p.status !== 'waiting' || at < p.bannedUntil) return false;
    // A weekly try regardless, in case an ending went unnoticed: the join refuses it if they are still in.
    return !p.entered || day - p.lastAttemptDay >= 7;
  }

  // ---- the hourly round: forfeits, arrivals, give-ups, daily re-entries ---------------------------------

  private async round(at: number, { day, hour }: Items['round']): Promise<void> {
    if (hour === 0) this.input.onProgress?.(day);
    // The sweep forfeits offers past their deadline (delayed jobs do it in production, the sweep backs them
    // up). It runs on the hour once a known offer's deadline has passed: a sweep with nothing due is a no-op.
    const forfeited = this.dueDeadlines.some((d) => d <= at) ? await this.deps.lifecycle.sweep() : 0;
    this.dueDeadlines = this.dueDeadlines.filter((d) => d > at);
    if (forfeited > 0) {
      bump(this.tally, 'forfeits', forfeited);
      for (const date of [...this.live].sort()) await this.refreshOffers(date);
    }

    const joins: { person: SimPerson; order: number }[] = [];
    const withdrawals: SimPerson[] = [];
    for (const p of this.byHour[hour]!) {
      if (p.status === 'gaveup' && p.withdrawDays > 0) {
        p.withdrawDays--;
        withdrawals.push(p);
      }
      if (p.status !== 'waiting' || p.intentDay >= day) continue;
      if (day - p.intentDay > p.patienceDays) {
        this.giveUp(p, day);
        withdrawals.push(p);
        continue;
      }
      if (this.needsEntry(p, day, at)) joins.push({ person: p, order: at + (p.minute % 60) * 60_000 });
    }
    if (hour === this.s.brokers.hour) {
      for (const b of this.brokers) {
        if (day === 0) await this.setUpBroker(b);
        for (const c of b.broker.clients) {
          if (c.arrivalDay !== day) continue;
          const p = await this.registerIdentity(b, c, 'client', {
            intentDay: day,
            minute: c.minute,
            patienceDays: c.patienceDays,
          });
          if (p) b.identities.push(p);
        }
        for (const p of b.identities) {
          if (p.status !== 'waiting') continue;
          if (p.kind === 'client' && day - p.intentDay > p.patienceDays) {
            this.giveUp(p, day);
            withdrawals.push(p);
            continue;
          }
          if (this.needsEntry(p, day, at)) joins.push({ person: p, order: at });
        }
      }
    }
    if (withdrawals.length) await Promise.all(withdrawals.map((p) => this.withdraw(p)));
    const arrivals = this.arrivals.get(`${day}|${hour}`);
    if (arrivals) {
      for (const p of await this.registerGenuine(arrivals)) {
        joins.push({ person: p, order: at + (p.minute % 60) * 60_000 });
      }
    }
    if (joins.length) await this.join(joins, day);
  }

  private giveUp(p: SimPerson, day: number): void {
    p.status = 'gaveup';
    p.gaveUpDay = day;
    // Entries carried over after someone left would win slots nobody confirms; they withdraw them for a while.
    p.withdrawDays = this.rules.maxCarryOvers + 1;
  }

  private async withdraw(p: SimPerson): Promise<void> {
    const today = DateTime.fromJSDate(this.sys.clock.now, { zone: this.tz }).toISODate()!;
    for (const e of await this.deps.entries.forAccount(p.accountId)) {
      if (e.personId !== p.personId || e.status !== 'pending' || e.drawDate < today) continue;
      const r = await this.deps.entries.withdraw(p.accountId, { ...e, nikHash: p.nikHash }, 'withdrawn');
      if (r === 'done') bump(this.tally, 'withdrawn');
    }
  }

  // ---- the waiting room: accounts, persons, entries ------------------------------------------------------

  /**
   * Ordinary people: one account each, verified from their own connection, one person. Each phase is one
   * batch whose calls take their random ids synchronously, in list order (see the file comment).
   */
  private async registerGenuine(list: GenuineApplicant[]): Promise<SimPerson[]> {
    const { accounts } = this.deps;
    const ids = await Promise.all(list.map((g) => accounts.ensureAccount(g.contact, 'phone', 'id')));
    await Promise.all(list.map((g, i) => accounts.markVerified(ids[i]!, g.ip)));
    const results = await Promise.all(
      list.map((g, i) => {
        const nik = validateNik(g.nik, g.birthDate);
        if (!nik.ok) return null;
        return accounts.addPerson(
          ids[i]!,
          {
            nik: nik.nik,
            nikMasked: maskNik(nik.nik),
            name: 'Warga Simulasi',
            birthDate: g.birthDate,
            category: g.category,
          },
          this.input.householdLimit,
        );
      }),
    );
    const out: SimPerson[] = [];
    list.forEach((g, i) => {
      const r = results[i];
      if (!r || !('person' in r)) {
        bump(this.tally, `genuineRegistration_${r?.status ?? 'invalid_nik'}`);
        return;
      }
      const p = this.person(g.key, 'genuine', ids[i]!, r.person, {
        intentDay: g.intentDay,
        minute: g.intentMinute,
        patienceDays: g.patienceDays,
      });
      this.genuineByKey.set(g.key, p);
      this.byHour[Math.floor(g.intentMinute / 60)]!.push(p);
      out.push(p);
    });
    return out;
  }

  private person(
    key: string,
    kind: Kind,
    accountId: string,
    person: { id: string; nikHash: string; category: string | null },
    when: { intentDay: number; minute: number; patienceDays: number },
  ): SimPerson {
    const p: SimPerson = {
      key,
      kind,
      accountId,
      personId: person.id,
      nikHash: person.nikHash,
      category: person.category,
      ...when,
      status: 'waiting',
      entered: false,
      lastAttemptDay: -1,
      bannedUntil: 0,
      servedDay: null,
      gaveUpDay: null,
      withdrawDays: 0,
    };
    this.persons.set(person.id, p);
    const same = this.byAccount.get(accountId);
    if (same) same.push(p);
    else this.byAccount.set(accountId, [p]);
    return p;
  }

  /** A broker's day 0: many phone numbers verified from few connections, then the invented identities. */
  private async setUpBroker(b: BrokerState): Promise<void> {
    const { accounts } = this.deps;
    for (const a of b.broker.accounts) {
      const id = await accounts.ensureAccount(a.contact, 'phone', 'id');
      b.accountIds.push(id);
      this.brokerAccounts.add(id);
    }
    // One at a time: the per-IP flag fires on the account that crosses the threshold.
    for (let i = 0; i < b.accountIds.length; i++) {
      await accounts.markVerified(b.accountIds[i]!, b.broker.accounts[i]!.ip);
    }
    for (const f of b.broker.fakes) {
      const p = await this.registerIdentity(b, f, 'fake', {
        intentDay: 0,
        minute: this.s.brokers.hour * 60,
        patienceDays: this.s.days,
      });
      if (p) b.identities.push(p);
    }
  }

  /**
   * What the persons route does for a broker: the NIK must pass the structural check, then it is bound to
   * the broker's accounts one after another as each fills up to the household limit; trying the same NIK on
   * more accounts, to multiply chances, meets the one-NIK-one-account rule.
   */
  private async registerIdentity(
    b: BrokerState,
    id: Identity,
    kind: 'client' | 'fake',
    when: { intentDay: number; minute: number; patienceDays: number },
  ): Promise<SimPerson | null> {
    const nik = validateNik(id.nik, id.birthDate);
    if (!nik.ok) {
      bump(this.tally, `${kind}NiksRejected`);
      return null;
    }
    const input = {
      nik: nik.nik,
      nikMasked: maskNik(nik.nik),
      name: 'Klien Calo',
      birthDate: id.birthDate,
      category: null,
    };
    let person: SimPerson | null = null;
    while (b.cursor < b.accountIds.length) {
      const accountId = b.accountIds[b.cursor]!;
      const r = await this.deps.accounts.addPerson(accountId, input, this.input.householdLimit);
      if (!('person' in r)) {
        if (r.status === 'nik_conflict') {
          bump(this.tally, 'nikConflicts');
          return null;
        }
        bump(this.tally, 'householdLimitRefusals');
        b.cursor++;
        continue;
      }
      person = this.person(id.key, kind, accountId, r.person, when);
      break;
    }
    if (!person) {
      bump(this.tally, 'identitiesWithoutRoom');
      return null;
    }
    for (let k = 1; k < this.s.brokers.accountsPerIdentity; k++) {
      const other = b.accountIds[(b.cursor + k) % b.accountIds.length]!;
      if (other === person.accountId) continue;
      const r = await this.deps.accounts.addPerson(other, input, this.input.householdLimit);
      bump(this.tally, r.status === 'nik_conflict' ? 'nikConflicts' : `duplicateRegistration_${r.status}`);
    }
    return person;
  }

  /** One batch of joins through the real join; each call draws its ticket at the same point of its path. */
  private async join(list: { person: SimPerson; order: number }[], day: number): Promise<void> {
    const draw = nextDraw(this.rules, this.tz, this.sys.clock.now);
    if (!draw) return;
    const categories = new Set(this.rules.priorityCategories.map((c) => c.id));
    const results = await Promise.all(
      list.map(({ person: p }) =>
        this.deps.entries.join({
          accountId: p.accountId,
          personId: p.personId,
          nikHash: p.nikHash,
          category: p.category && categories.has(p.category) ? p.category : null,
          officeId: this.id,
          drawDate: draw.drawDate,
          targetDate: draw.targetDate,
          prefs: null,
        }),
      ),
    );
    results.forEach((r, i) => {
      const { person: p, order } = list[i]!;
      p.lastAttemptDay = day;
      if (!r.ok) {
        bump(this.tally, `joinsRefused_${r.reason}`);
        // Still in a draw, on a waitlist or holding an offer: nothing to do until told otherwise.
        p.entered = r.reason === 'active_elsewhere' || r.reason === 'duplicate';
        if (r.reason === 'banned') p.bannedUntil = r.bannedUntil.getTime();
        return;
      }
      p.entered = true;
      bump(this.tally, `joins_${p.kind}`);
      if (p.kind === 'genuine') {
        const fresh = this.fresh.get(r.entry.drawDate);
        if (fresh) fresh.push({ ticket: r.entry.ticket, order });
        else this.fresh.set(r.entry.drawDate, [{ ticket: r.entry.ticket, order }]);
      }
    });
  }

  // ---- the draw and what follows ------------------------------------------------------------------------

  private async draw({ drawDate, target }: Items['draw']): Promise<void> {
    await new DrawRunner(this.deps).run(this.id, drawDate);
    await this.deps.lifecycle.fanout(this.id, drawDate);
    bump(this.tally, 'draws');
    for await (const flat of this.deps.draws.scanEntries(this.id, drawDate)) {
      for (let i = 1; i < flat.length; i += 2) {
        this.tally.requests.total++;
        if (this.brokerAccounts.has(unpackEntry(flat[i]!).accountId)) this.tally.requests.broker++;
      }
    }
    const rows = parseResults((await this.deps.draws.results(this.id, drawDate)) ?? '');
    const winners = new Set(rows.filter((r) => r.sessionId).map((r) => r.ticket));
    const fresh = this.fresh.get(drawDate) ?? [];
    addRound(
      this.tally,
      fresh.map((f) => ({ order: f.order, won: winners.has(f.ticket) })),
    );
    this.fresh.delete(drawDate);
    this.live.add(target);
    await this.refreshOffers(target);
  }

  /** New appointments of one day (draw wins, waitlist offers) and the holders' answers to them. */
  private async refreshOffers(date: string): Promise<void> {
    const codes = (await this.deps.redis.smembers(keys.dayAppointments(this.id, date)))
      .filter((c) => !this.knownCodes.has(c))
      .sort();
    if (codes.length === 0) return;
    const appts = await Promise.all(codes.map((c) => this.deps.appointments.get(this.id, c)));
    for (const a of appts) {
      if (!a) continue;
      this.knownCodes.add(a.code);
      if (a.source === 'waitlist') bump(this.tally, 'waitlistOffers');
      const holder = this.persons.get(a.personId);
      if (holder) this.byCode.set(a.code, holder);
      if (a.state !== 'offered') continue;
      this.dueDeadlines.push(a.deadline);
      this.answer(a);
    }
  }

  private answer(a: Appointment): void {
    const p = this.persons.get(a.personId);
    const { s } = this;
    // Someone who gave up never answers; the offer lapses and the sweep passes the slot on.
    if (p?.status !== 'waiting') return;
    let confirm: boolean;
    let comes = false;
    let cancels = false;
    const k = `${p.key}|${a.date}|${a.source}`;
    if (p.kind === 'fake') {
      // Nobody can use it at the counter (the passport must match), but a broker may hold it to resell.
      confirm = this.u(`confirm-fake|${k}`) < s.brokers.confirmFakeWins;
    } else {
      comes = this.u(`come|${p.key}`) < (p.kind === 'genuine' ? s.genuine.showUp : s.brokers.clientShowUp);
      cancels = p.kind === 'genuine' && !comes && this.u(`caught|${p.key}`) < s.genuine.noShowCaughtShare;
      confirm = this.u(`confirm|${k}`) < s.genuine.confirmRate;
    }
    if (!confirm) {
      bump(this.tally, 'offersLeftToLapse');
      return;
    }
    const now = this.sys.clock.now.getTime();
    this.timeline.add(this.answerTime(now, a.deadline, this.u(`when|${k}`)), 'confirm', {
      person: p,
      appt: a,
      comes,
      cancels,
    });
  }

  /** Some time before the deadline, on the hour where possible so answers batch together. */
  private answerTime(now: number, deadline: number, u: number): number {
    const onHour = Math.ceil((now + u * (deadline - now)) / HOUR) * HOUR;
    if (onHour > now && onHour < deadline) return onHour;
    return now + Math.max(1, Math.floor((deadline - now) / 2));
  }

  private async confirms(at: number, all: Items['confirm'][]): Promise<void> {
    // Someone may have given up between the offer and the moment they would have answered.
    const items = all.filter((c) => c.person.status === 'waiting');
    const done = await Promise.all(
      items.map(async (c) => {
        try {
          await this.deps.lifecycle.confirm(c.person.accountId, c.appt.code);
          return true;
        } catch (err) {
          if (!(err instanceof LifecycleError)) throw err;
          bump(this.tally, `confirmRefused_${err.code}`);
          return false;
        }
      }),
    );
    items.forEach((c, i) => {
      if (!done[i]) return;
      const { person: p, appt: a } = c;
      p.status = 'holding';
      p.servedDay = this.dayIndex.get(a.date) ?? null;
      bump(this.tally, `confirmed_${p.kind}`);
      if (c.cancels) {
        // The reminder the day before (SMS evidence: a third to two fifths fewer no-shows) makes them cancel.
        const cutoff = this.instant(`cutoff|${a.date}`, () =>
          offerCutoffInstant(this.rules, this.tz, a.date).getTime(),
        );
        const when = Math.max(at + 60_000, cutoff - 4 * HOUR);
        if (when < cutoff) this.timeline.add(when, 'cancel', { person: p, appt: a });
      } else if (c.comes) {
        const start = this.instant(
          `start|${a.date}|${a.sessionId}`,
          () => sessionWindow(this.rules, this.tz, a.date, a.sessionId)?.start.getTime() ?? 0,
        );
        if (start > at) this.timeline.add(start, 'checkIn', { person: p, code: a.code });
      }
    });
  }

  /** One at a time: each release offers the slot to the waitlist, which draws a booking code. */
  private async cancels(items: Items['cancel'][]): Promise<void> {
    const sorted = [...items].sort((a, b) => a.person.key.localeCompare(b.person.key));
    const touched = new Set<string>();
    for (const { person: p, appt: a } of sorted) {
      try {
        await this.deps.lifecycle.cancel(p.accountId, a.code);
        p.status = 'done';
        bump(this.tally, 'cancelled');
        touched.add(a.date);
      } catch (err) {
        if (!(err instanceof LifecycleError)) throw err;
        bump(this.tally, `cancelRefused_${err.code}`);
      }
    }
    for (const date of [...touched].sort()) await this.refreshOffers(date);
  }

  private async checkIns(items: Items['checkIn'][]): Promise<void> {
    await Promise.all(
      items.map(async ({ person: p, code }) => {
        try {
          await this.deps.lifecycle.checkIn(this.officer, code);
          p.status = 'done';
          bump(this.tally, 'checkedIn');
        } catch (err) {
          if (!(err instanceof LifecycleError)) throw err;
          bump(this.tally, `checkInRefused_${err.code}`);
        }
      }),
    );
  }

  private async cutoff({ target, drawDate }: Items['cutoff']): Promise<void> {
    const r = await this.deps.lifecycle.closeWaitlist(this.id, target, drawDate);
    bump(this.tally, 'carriedOver', r.carried);
    bump(this.tally, 'lostAfterCarryOvers', r.lost);
    this.live.delete(target);
  }

  /** After the day's last check-in window: count the day from the appointments' final states. */
  private async tallyDay(date: string): Promise<void> {
    let held = 0;
    let used = 0;
    let brokerHeld = 0;
    let brokerUsed = 0;
    for (const a of await this.deps.appointments.forDay(this.id, date)) {
      const p = this.persons.get(a.personId);
      const broker = this.brokerAccounts.has(a.accountId);
      if (a.state === 'checked_in' || a.state === 'no_show') {
        held++;
        if (broker) brokerHeld++;
      }
      if (a.state === 'checked_in') {
        used++;
        if (broker) brokerUsed++;
      }
      if (a.state === 'no_show' && p) {
        // An invented identity goes back into the broker's pool (until its strikes ban it); people are done.
        p.status = p.kind === 'fake' ? 'waiting' : 'done';
        p.entered = false;
      }
    }
    const d = this.dayIndex.get(date) ?? -1;
    if (d >= this.input.warmup && isServiceDay(this.rules, date)) {
      this.tally.days.push({ date, capacity: dailyQuota(this.rules), held, used, brokerHeld, brokerUsed });
    }
  }

  private async finish(): Promise<void> {
    const { flags, total } = await this.deps.flags.list(1_000_000);
    const accounts = new Set<string>();
    for (const f of flags) {
      this.tally.flags.byReason[f.reason] = (this.tally.flags.byReason[f.reason] ?? 0) + 1;
      if (f.accountId) accounts.add(f.accountId);
    }
    bump(this.tally, 'flags', total);
    for (const [template, n] of Object.entries(this.sys.messages))
      bump(this.tally, `messages_${template}`, n);
    this.tally.flags.accounts = accounts.size;
    this.tally.flags.brokerAccounts = [...accounts].filter((a) => this.brokerAccounts.has(a)).length;
    for (const g of this.input.population.genuine) {
      if (g.office !== this.input.office) continue;
      const p = this.genuineByKey.get(g.key);
      this.tally.waits.push({
        intentDay: g.intentDay,
        servedDay: p?.servedDay ?? null,
        gaveUpDay: p?.gaveUpDay ?? null,
      });
    }
  }
}
