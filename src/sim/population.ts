// Everyone in a simulated run, generated once from the scenario's seed, so both policies face exactly the
// same people arriving at the same minutes with the same patience.
import { exampleNik } from '../domain/nik.ts';
import { intBetween, mulberry32, poisson, type Rng, weightedIndex } from './random.ts';
import type { Scenario } from './scenario.ts';

export interface GenuineApplicant {
  key: string;
  office: number;
  /** Day index (0 = startDate) on which the person decides to apply. */
  intentDay: number;
  /** Local minute of the day at which they first try; also the hour they come back on later days. */
  intentMinute: number;
  patienceDays: number;
  /** First-come only: at the screen when the quota opens. */
  knowsOpening: boolean;
  category: string | null;
  nik: string;
  birthDate: string;
  /** One phone number, one IP: an ordinary person (a family shares its applicant's). */
  contact: string;
  ip: string;
  /** The family's key (its applicant's key) for persons who come as a family; their own key otherwise. */
  group: string;
  /** Under 17: served only together with an adult of the family. */
  minor: boolean;
}

export interface Identity {
  key: string;
  nik: string;
  birthDate: string;
}

export interface BrokerClient extends Identity {
  broker: number;
  office: number;
  arrivalDay: number;
  minute: number;
  patienceDays: number;
}

export interface Broker {
  key: string;
  index: number;
  office: number;
  accounts: { contact: string; ip: string }[];
  /** Invented identities; most fail validation, careful ones pass but cannot be used at the counter. */
  fakes: Identity[];
  clients: BrokerClient[];
}

export interface Population {
  genuine: GenuineApplicant[];
  brokers: Broker[];
}

/** NIK serial ranges keep genuine people, clients and invented identities from colliding by accident. */
const SERIAL_BASE = { genuine: 1, client: 5000, fake: 8000, child: 9000 } as const;
const BIRTH_SPAN_DAYS = 20_000;

const BIRTH_BASE_MS = Date.UTC(1955, 0, 1);
/** Children's birth dates: 2012-2019, so each is between 6 and 14 in any simulated year up to 2026. */
const CHILD_BASE_MS = Date.UTC(2012, 0, 1);
const CHILD_SPAN_DAYS = 2900;

function childIdentity(n: number, rng: Rng): { nik: string; birthDate: string } {
  const birthDate = new Date(CHILD_BASE_MS + (n % CHILD_SPAN_DAYS) * 86_400_000).toISOString().slice(0, 10);
  const serial = SERIAL_BASE.child + Math.floor(n / CHILD_SPAN_DAYS);
  return { nik: exampleNik({ birthDate, sex: rng() < 0.5 ? 'F' : 'M', serial }), birthDate };
}

function identity(
  kind: 'genuine' | 'client' | 'fake',
  n: number,
  rng: Rng,
): { nik: string; birthDate: string } {
  // Plain UTC arithmetic: tens of thousands of birth dates, no time zone involved.
  const birthDate = new Date(BIRTH_BASE_MS + (n % BIRTH_SPAN_DAYS) * 86_400_000).toISOString().slice(0, 10);
  const serial = SERIAL_BASE[kind] + Math.floor(n / BIRTH_SPAN_DAYS);
  return { nik: exampleNik({ birthDate, sex: rng() < 0.5 ? 'F' : 'M', serial }), birthDate };
}

/** Sixteen digits typed without care: the structural check rejects almost all of them. */
function carelessNik(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += String(Math.floor(rng() * 10));
  return s;
}

function minuteOfDay(rng: Rng, hourWeights: readonly number[]): number {
  return weightedIndex(rng, hourWeights) * 60 + Math.floor(rng() * 60);
}

function pickCategory(rng: Rng, shares: Record<string, number>): string | null {
  const r = rng();
  let acc = 0;
  for (const [id, p] of Object.entries(shares)) {
    acc += p;
    if (r < acc) return id;
  }
  return null;
}

/** The applicant's relatives: the same account, arrival, patience and habits; some of them children. */
function addFamily(
  genuine: GenuineApplicant[],
  head: GenuineApplicant,
  size: number,
  childShare: number,
  rng: Rng,
  n: number,
): void {
  for (let m = 1; m < size; m++) {
    const i = genuine.length;
    const child = rng() < childShare;
    genuine.push({
      ...head,
      key: `g${i}`,
      category: null,
      ...(child ? childIdentity(n + m, rng) : identity('genuine', i, rng)),
      minor: child,
    });
  }
}

export function generatePopulation(s: Scenario): Population {
  const rng = mulberry32(s.seed);
  const genuine: GenuineApplicant[] = [];
  const brokers: Broker[] = [];
  let clientN = 0;
  let fakeN = 0;
  // Index for children's NIK serials; any number that only grows will do.
  let childN = 0;
  for (let o = 0; o < s.offices.length; o++) {
    const scale = s.offices[o]!.demandScale;
    for (let d = 0; d < s.days; d++) {
      const n = poisson(rng, s.genuine.arrivalsPerDay * scale);
      for (let k = 0; k < n; k++) {
        const i = genuine.length;
        genuine.push({
          key: `g${i}`,
          office: o,
          intentDay: d,
          intentMinute: minuteOfDay(rng, s.genuine.arrivalHourWeights),
          patienceDays: intBetween(rng, s.genuine.patienceDays.min, s.genuine.patienceDays.max),
          knowsOpening: rng() < s.genuine.knowsOpeningShare,
          category: pickCategory(rng, s.genuine.categoryShares),
          ...identity('genuine', i, rng),
          contact: `+6281${String(100_000_000 + i)}`,
          ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          group: `g${i}`,
          minor: false,
        });
        // Only a scenario with families draws these numbers, so one without keeps its exact population.
        const f = s.genuine.families;
        if (f && rng() < f.share)
          addFamily(genuine, genuine[i]!, intBetween(rng, f.size.min, f.size.max), f.childShare, rng, childN);
        childN = genuine.length;
      }
    }
    const brokerCount = Math.round(s.brokers.perOffice * scale);
    for (let b = 0; b < brokerCount; b++) {
      const index = brokers.length;
      const accounts = Array.from({ length: s.brokers.accounts }, (_, a) => ({
        contact: `+6285${String(100_000_000 + index * 10_000 + a)}`,
        // A broker's accounts share a handful of connections; that is what the per-IP flag looks for.
        ip: `172.16.${index & 255}.${a % s.brokers.ips}`,
      }));
      const fakes: Identity[] = [];
      for (let f = 0; f < s.brokers.fakeIdentities; f++) {
        const careful = rng() < s.brokers.fakeCarefulShare;
        const id = identity('fake', fakeN++, rng);
        fakes.push({ key: `b${index}f${f}`, ...(careful ? id : { ...id, nik: carelessNik(rng) }) });
      }
      const clients: BrokerClient[] = [];
      for (let d = 0; d < s.days; d++) {
        const n = poisson(rng, s.brokers.clientsPerDay);
        for (let k = 0; k < n; k++) {
          clients.push({
            key: `b${index}c${clients.length}`,
            broker: index,
            office: o,
            arrivalDay: d,
            minute: minuteOfDay(rng, s.genuine.arrivalHourWeights),
            patienceDays: intBetween(rng, s.brokers.clientPatienceDays.min, s.brokers.clientPatienceDays.max),
            ...identity('client', clientN++, rng),
          });
        }
      }
      brokers.push({ key: `b${index}`, index, office: o, accounts, fakes, clients });
    }
  }
  return { genuine, brokers };
}
