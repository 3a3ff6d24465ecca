// One office's simulated run: its inputs, the people in it, the agenda of timed steps, and the state the
// steps share.
import { addDays } from '../../domain/calendar.ts';
import type { Rules } from '../../domain/rules.ts';
import type { IdentityCheck } from '../../identity/identity-check.ts';
import type { Appointment } from '../../store/appointments.ts';
import type { StaffUser } from '../../store/users.ts';
import { emptyTally } from '../outcome.ts';
import type { Broker, GenuineApplicant, Population } from '../population.ts';
import type { PrivateSystem } from '../private-system.ts';
import { keyedUniform } from '../random.ts';
import type { Scenario } from '../scenario.ts';
import { Timeline } from '../timeline.ts';

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

export type Kind = 'genuine' | 'client' | 'fake';

export interface SimPerson {
  key: string;
  kind: Kind;
  accountId: string;
  personId: string;
  nikHash: string;
  birthDate: string;
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
  /** The family's key (its applicant's) for a person who came as a family; their own key otherwise. */
  group: string;
  minor: boolean;
  servedSession: string | null;
}

export interface BrokerState {
  broker: Broker;
  accountIds: string[];
  /** Next account with room under the household limit. */
  cursor: number;
  /** Next account with no-match budget left for asking the registry about an invented identity. */
  registryCursor: number;
  identities: SimPerson[];
}

export interface Items {
  round: { day: number; hour: number };
  cutoff: { target: string; drawDate: string };
  confirm: { person: SimPerson; appt: Appointment; comes: boolean; cancels: boolean };
  reminder: { date: string };
  cancel: { person: SimPerson; appt: Appointment };
  checkIn: { person: SimPerson; code: string };
  noShow: { date: string; sessionId: string };
  standby: { date: string; sessionId: string };
  tally: { date: string };
  draw: { drawDate: string; target: string };
}

export const HOUR = 3_600_000;

export class OfficeSim {
  readonly s: Scenario;
  readonly id: string;
  readonly tz: string;
  readonly rules: Rules;
  readonly officer: StaffUser;
  readonly tally = emptyTally();
  readonly timeline = new Timeline<Items>();
  readonly dates: string[];
  readonly dayIndex = new Map<string, number>();
  readonly arrivals = new Map<string, GenuineApplicant[]>();
  readonly brokers: BrokerState[];
  readonly byHour: SimPerson[][] = Array.from({ length: 24 }, () => []);
  readonly persons = new Map<string, SimPerson>();
  readonly genuineByKey = new Map<string, SimPerson>();
  readonly byAccount = new Map<string, SimPerson[]>();
  readonly byCode = new Map<string, SimPerson>();
  /** Families by key, the applicant first: they enter as one group entry. */
  readonly families = new Map<string, SimPerson[]>();
  readonly brokerAccounts = new Set<string>();
  readonly knownCodes = new Set<string>();
  /** Persons offered a place at least once (a draw win or a waitlist offer): counted once each. */
  readonly offeredPersons = new Set<string>();
  /** Service days drawn whose offers are still moving (until the cut-off). */
  readonly live = new Set<string>();
  /** Deadlines of offers seen open and not yet swept past. */
  dueDeadlines: number[] = [];
  readonly fresh = new Map<string, { ticket: string; order: number }[]>();
  readonly instants = new Map<string, number>();
  /** The identity check with the simulated registry, made on first use (registry scenarios only). */
  registry: IdentityCheck | null = null;
  /** Confirmed holders who will not come and give the seat back once reminded, by booking code. */
  readonly cancelOnReminder = new Map<string, Items['cancel']>();
  /** Booking codes whose holder got the reminder. */
  readonly reminded = new Set<string>();
  /** Standby tickets of people who come on the day, by date, until the officer marks them arrived. */
  readonly standbyComing = new Map<string, string[]>();
  /** Why the counter turned a holder away (a child without an adult, a refusal), by booking code. */
  readonly turnedAway = new Map<string, string>();

  constructor(
    readonly input: OfficeRunInput,
    readonly sys: PrivateSystem,
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
      .map((broker) => ({ broker, accountIds: [], cursor: 0, registryCursor: 0, identities: [] }));
  }

  get deps() {
    return this.sys.deps;
  }

  u(key: string): number {
    return keyedUniform(this.s.seed, key);
  }

  /** Calendar instants are luxon work; thousands of appointments share a handful of them. */
  instant(key: string, compute: () => number): number {
    let v = this.instants.get(key);
    if (v === undefined) {
      v = compute();
      this.instants.set(key, v);
    }
    return v;
  }

  person(
    key: string,
    kind: Kind,
    accountId: string,
    person: { id: string; nikHash: string; birthDate: string; category: string | null },
    when: { intentDay: number; minute: number; patienceDays: number },
    family: { group: string; minor: boolean } = { group: key, minor: false },
  ): SimPerson {
    const p: SimPerson = {
      key,
      kind,
      accountId,
      personId: person.id,
      nikHash: person.nikHash,
      birthDate: person.birthDate,
      category: person.category,
      ...when,
      status: 'waiting',
      entered: false,
      lastAttemptDay: -1,
      bannedUntil: 0,
      servedDay: null,
      gaveUpDay: null,
      withdrawDays: 0,
      ...family,
      servedSession: null,
    };
    this.persons.set(person.id, p);
    const same = this.byAccount.get(accountId);
    if (same) same.push(p);
    else this.byAccount.set(accountId, [p]);
    return p;
  }
}
