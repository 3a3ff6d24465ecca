// Synthetic applicants entering draws through the public API, as varied as real ones: households of up to
// four persons, some in a priority category (a higher weight), some asking for particular sessions.
import { exampleNik } from '../../domain/nik.ts';
import type { DemoApi, Session } from './api.ts';

const PERSONS_PER_ACCOUNT = 4;
const CONCURRENCY = 16;
const PROVINCES = ['11', '12', '31', '32', '33', '35', '51', '73', '81', '91'];
const GIVEN = [
  'Ayu',
  'Budi',
  'Citra',
  'Dewi',
  'Eko',
  'Fitri',
  'Gita',
  'Hadi',
  'Indah',
  'Joko',
  'Kartika',
  'Lestari',
];
const FAMILY = [
  'Santoso',
  'Wijaya',
  'Siregar',
  'Nasution',
  'Pratama',
  'Hasibuan',
  'Saragih',
  'Wibowo',
  'Lubis',
];

export interface DemoOffice {
  id: string;
  sessions: string[];
  categories: string[];
}

export interface Applicant {
  contact: string;
  session: Session;
}

export interface EntryRun {
  applicants: Applicant[];
  entries: number;
  refused: number;
  priority: number;
  withPrefs: number;
  /** "officeId drawDate" → entries made into that draw. */
  draws: Map<string, number>;
  tickets: Set<string>;
}

/** A small deterministic generator, so a run's mix is varied but reproducible from its tag. */
function random(seed: string): () => number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function enterApplicants(
  api: DemoApi,
  opts: {
    total: number;
    offices: DemoOffice[];
    tag: string;
    onProgress?: (run: EntryRun) => void;
    /** Each person just before it is bound (the demo's own registry learns it: demo/registry.ts). */
    onResident?: (r: { nik: string; name: string; birthDate: string }) => void;
  },
): Promise<EntryRun> {
  const rnd = random(opts.tag);
  const run: EntryRun = {
    applicants: [],
    entries: 0,
    refused: 0,
    priority: 0,
    withPrefs: 0,
    draws: new Map(),
    tickets: new Set(),
  };
  let serial = Math.floor(rnd() * 9000);
  const refuse = (what: string, body: unknown) => {
    if (run.refused++ === 0) console.error(`\n  ${what} was refused: ${JSON.stringify(body)}`);
  };
  const one = async (a: number) => {
    const contact = `demo-${opts.tag}-${a}@example.org`;
    const session = await api.signIn(contact);
    run.applicants.push({ contact, session });
    for (let k = 0; k < PERSONS_PER_ACCOUNT && a * PERSONS_PER_ACCOUNT + k < opts.total; k++) {
      const office = opts.offices[(a * PERSONS_PER_ACCOUNT + k) % opts.offices.length]!;
      const birthDate = `19${50 + ((a + k) % 50)}-0${1 + (k % 9)}-1${k % 9}`;
      const nik = exampleNik({
        province: PROVINCES[(a + k) % PROVINCES.length]!,
        birthDate,
        sex: k % 2 ? 'F' : 'M',
        serial: (serial++ % 9999) + 1,
      });
      // About one in six belongs to a priority category of the office (elderly, disabled, with infants).
      const category =
        office.categories.length && rnd() < 0.17
          ? office.categories[Math.floor(rnd() * office.categories.length)]!
          : null;
      const name = `${GIVEN[(a + k) % GIVEN.length]} ${FAMILY[(a * 7 + k) % FAMILY.length]}`;
      opts.onResident?.({ nik, name, birthDate });
      const person = await api.call(
        'POST',
        '/api/me/persons',
        { nik, name, birthDate, ...(category ? { category } : {}) },
        session,
      );
      if (person.status !== 201) {
        refuse('a person', person.body);
        continue;
      }
      // Two in five ask for one or two particular sessions; the rest take any.
      let prefs: 'any' | string[] = 'any';
      if (office.sessions.length > 1 && rnd() < 0.4) {
        const first = Math.floor(rnd() * office.sessions.length);
        prefs = [office.sessions[first]!];
        if (rnd() < 0.5) prefs.push(office.sessions[(first + 1) % office.sessions.length]!);
      }
      const joined = await api.call(
        'POST',
        '/api/me/entries',
        { personId: person.body.person.id, officeId: office.id, prefs, pow: await api.pow('entry') },
        session,
      );
      if (joined.status !== 201) {
        refuse('an entry', joined.body);
        continue;
      }
      run.entries++;
      if (category) run.priority++;
      if (prefs !== 'any') run.withPrefs++;
      run.tickets.add(joined.body.entry.ticket);
      const key = `${office.id} ${joined.body.entry.drawDate}`;
      run.draws.set(key, (run.draws.get(key) ?? 0) + 1);
    }
    if (a % 25 === 0) opts.onProgress?.(run);
  };
  const accounts = Math.ceil(opts.total / PERSONS_PER_ACCOUNT);
  for (let a = 0; a < accounts; a += CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accounts - a) }, (_, i) => one(a + i)));
  }
  return run;
}

/** A stable yes/no per key: the same appointment gets the same decision however often it is seen. */
export function decide(key: string, probability: number): boolean {
  return random(key)() < probability;
}
