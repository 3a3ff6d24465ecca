// The request schemas of the API as fast-check generators, for the schema corpus (schema-corpus.test.ts):
// for each body and query a route takes, valid values, the caller the route expects, and the one-change
// mutations that turn a valid value into a near-valid one.
import fc from 'fast-check';
import { exampleNik, NIK_PROVINCE_CODES } from '../../src/domain/nik.ts';
import { defaultRules } from '../../src/domain/rules.ts';

export const OFFICES = ['jakarta-selatan', 'medan', 'denpasar', 'jayapura'];
export const SESSIONS = defaultRules.sessions.map((s) => s.id);

// ---- valid values ----------------------------------------------------------------------------------

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const lower = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), { minLength: min, maxLength: max })
    .map((c) => c.join(''));

const phone = digits(8, 11).map((d) => `08${d}`);
const email = fc
  .tuple(lower(1, 12), lower(2, 10), fc.constantFrom('com', 'id', 'co.id', 'org'))
  .map(([u, d, t]) => `${u}@${d}.${t}`);
const contact = fc.oneof(phone, email);

const isoDay = (from: number, to: number) =>
  fc
    .integer({ min: Date.UTC(from, 0, 1) / 86_400_000, max: Date.UTC(to, 11, 31) / 86_400_000 })
    .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

const NAME_WORDS = [
  'Siti',
  'Budi',
  'Nur',
  "Ma'ruf",
  'Dewi',
  'Putu',
  'Ketut',
  'René',
  'Nguyễn',
  'Ayu-Lestari',
  'I',
];
const personName = fc
  .array(fc.oneof(fc.constantFrom(...NAME_WORDS), fc.stringMatching(/^[A-Z][a-z]{1,11}$/)), {
    minLength: 1,
    maxLength: 4,
  })
  .map((w) => w.join(' '))
  .filter((n) => n.length >= 2);

const personBody = fc
  .record({
    birthDate: isoDay(1930, 2025),
    sex: fc.constantFrom<'F' | 'M'>('F', 'M'),
    serial: fc.integer({ min: 1, max: 9999 }),
    province: fc.constantFrom(...NIK_PROVINCE_CODES),
    name: personName,
    category: fc.constantFrom(null, 'lansia', 'disabilitas', 'ibu-anak'),
  })
  .map((p) => ({
    nik: exampleNik({ birthDate: p.birthDate, sex: p.sex, serial: p.serial, province: p.province }),
    name: p.name,
    birthDate: p.birthDate,
    category: p.category,
  }));

const officeText = fc
  .array(
    fc.oneof(fc.constantFrom('Kantor', 'Imigrasi', 'Jl.', 'No. 12,', 'Kelas I', 'Sumatera', '<b>', '&')),
    {
      minLength: 2,
      maxLength: 8,
    },
  )
  .map((w) => w.join(' '));
const TZS = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];
/** A small pool: most creations after the first of each id are 409s, so the office list stays short. */
const newOfficeId = fc.integer({ min: 0, max: 19 }).map((i) => `corpus-${i}`);

const rules = fc
  .record({
    capacity: fc.integer({ min: 0, max: 200 }),
    householdLimit: fc.integer({ min: 1, max: 20 }),
    daysAhead: fc.integer({ min: 1, max: 30 }),
    drawTime: fc.stringMatching(/^(?:[01]\d|2[0-3]):[0-5]\d$/),
  })
  .map((r) => ({
    ...defaultRules,
    drawTime: r.drawTime,
    daysAhead: r.daysAhead,
    householdLimit: r.householdLimit,
    sessions: defaultRules.sessions.map((s) => ({ ...s, capacity: r.capacity })),
  }));

const bookingCode = fc.stringMatching(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);

// ---- the schemas and the routes that take them -------------------------------------------------------

export type Identity = 'none' | 'applicant' | 'admin' | 'officer';
export type Json = Record<string, unknown>;

export interface Target {
  /** The request schema (src/...) this target exercises. */
  schema: string;
  method: string;
  identity: Identity;
  weight: number;
  /** The path; a function of a generated value for routes with parameters. */
  path: fc.Arbitrary<string>;
  body?: fc.Arbitrary<Json>;
  query?: fc.Arbitrary<Record<string, string>>;
  pow?: 'code' | 'entry';
  /** Valid bodies would start real work (a simulation): only near-valid ones are sent. */
  neverValid?: boolean;
}

const at = (p: string) => fc.constant(p);
const office = fc.constantFrom(...OFFICES);

export const TARGETS: Target[] = [
  {
    schema: 'codeSchema',
    method: 'POST',
    identity: 'none',
    weight: 8,
    path: at('/api/auth/code'),
    body: fc.record({ contact, lang: fc.constantFrom('id', 'en') }, { requiredKeys: ['contact'] }),
    pow: 'code',
  },
  {
    schema: 'verifySchema',
    method: 'POST',
    identity: 'none',
    weight: 8,
    path: at('/api/auth/verify'),
    body: fc.record({ contact, code: digits(6, 6) }),
  },
  {
    schema: 'personSchema',
    method: 'POST',
    identity: 'applicant',
    weight: 8,
    path: at('/api/me/persons'),
    body: personBody,
  },
  {
    schema: 'joinSchema',
    method: 'POST',
    identity: 'applicant',
    weight: 10,
    path: at('/api/me/entries'),
    body: fc.record({
      personId: fc.oneof(fc.constantFrom(...['p0', 'p1']), lower(1, 40)),
      officeId: office,
      prefs: fc.oneof(fc.constant('any'), fc.uniqueArray(fc.constantFrom(...SESSIONS), { minLength: 1 })),
    }),
    pow: 'entry',
  },
  {
    schema: 'patchSchema',
    method: 'PATCH',
    identity: 'applicant',
    weight: 3,
    path: at('/api/me'),
    body: fc.record({ lang: fc.constantFrom('id', 'en') }),
  },
  {
    schema: 'ticket param',
    method: 'DELETE',
    identity: 'applicant',
    weight: 2,
    path: fc.stringMatching(/^[A-Z0-9]{12}$/).map((t) => `/api/me/entries/${t}`),
  },
  {
    schema: 'booking code param',
    method: 'POST',
    identity: 'applicant',
    weight: 2,
    path: fc
      .tuple(bookingCode, fc.constantFrom('confirm', 'cancel'))
      .map(([c, a]) => `/api/me/appointments/${c}/${a}`),
  },
  {
    schema: 'limitQuery (messages)',
    method: 'GET',
    identity: 'applicant',
    weight: 2,
    path: at('/api/me/messages'),
    query: fc.record({ limit: fc.integer({ min: 1, max: 500 }).map(String) }),
  },
  {
    schema: 'loginSchema',
    method: 'POST',
    identity: 'none',
    weight: 2,
    path: at('/api/staff/login'),
    body: fc.record({ username: lower(1, 60), password: fc.string({ minLength: 1, maxLength: 200 }) }),
  },
  {
    schema: 'createSchema (office)',
    method: 'POST',
    identity: 'admin',
    weight: 4,
    path: at('/api/admin/offices'),
    body: fc.record(
      {
        office: fc.record({
          id: newOfficeId,
          name: officeText,
          address: officeText,
          tz: fc.constantFrom(...TZS),
        }),
        rules,
      },
      { requiredKeys: ['office'] },
    ),
  },
  {
    schema: 'updateOfficeSchema',
    method: 'PATCH',
    identity: 'admin',
    weight: 4,
    path: office.map((o) => `/api/admin/offices/${o}`),
    body: fc.record(
      { name: officeText, address: officeText, tz: fc.constantFrom(...TZS) },
      { requiredKeys: [] },
    ),
  },
  {
    schema: 'rulesUpdateSchema',
    method: 'PUT',
    identity: 'admin',
    weight: 4,
    path: office.map((o) => `/api/admin/offices/${o}/rules`),
    body: fc.record(
      { expectedVersion: fc.integer({ min: 1, max: 6 }), rules, note: fc.string({ maxLength: 500 }) },
      { requiredKeys: ['expectedVersion', 'rules'] },
    ),
  },
  {
    schema: 'whatIfSchema',
    method: 'POST',
    identity: 'admin',
    weight: 2,
    path: office.map((o) => `/api/admin/offices/${o}/what-if`),
    body: fc.record({ rules, days: fc.integer({ min: 7, max: 30 }) }),
    neverValid: true,
  },
  {
    schema: 'runSchema (preview)',
    method: 'POST',
    identity: 'admin',
    weight: 1,
    path: office.map((o) => `/api/admin/draws/${o}/preview`),
    body: fc.record({ drawDate: isoDay(2026, 2026) }, { requiredKeys: [] }),
  },
  {
    schema: 'entropySchema',
    method: 'POST',
    identity: 'admin',
    weight: 3,
    path: fc.tuple(office, isoDay(2026, 2027)).map(([o, d]) => `/api/admin/draws/${o}/dates/${d}/entropy`),
    body: fc.record({
      value: fc.string({ minLength: 8, maxLength: 512 }).filter((v) => v.trim().length >= 8),
    }),
  },
  {
    schema: 'blockSchema',
    method: 'POST',
    identity: 'admin',
    weight: 3,
    // Ids of accounts that do not exist: blocking the corpus' own applicant would end the run early.
    path: fc.stringMatching(/^[a-z0-9]{12}$/).map((id) => `/api/admin/accounts/${id}/block`),
    body: fc.record({
      reason: fc.string({ minLength: 3, maxLength: 500 }).filter((r) => r.trim().length >= 3),
    }),
  },
  {
    schema: 'listQuery (flags)',
    method: 'GET',
    identity: 'admin',
    weight: 2,
    path: at('/api/admin/flags'),
    query: fc.record({
      limit: fc.integer({ min: 1, max: 500 }).map(String),
      offset: fc.integer({ min: 0, max: 1_000_000 }).map(String),
    }),
  },
  {
    schema: 'stats days query',
    method: 'GET',
    identity: 'admin',
    weight: 2,
    path: office.map((o) => `/api/admin/draws/${o}/stats`),
    query: fc.record({ days: fc.integer({ min: 1, max: 366 }).map(String) }),
  },
  {
    schema: 'checkInSchema',
    method: 'POST',
    identity: 'officer',
    weight: 4,
    path: fc.constantFrom(
      '/api/officer/check-in/lookup',
      '/api/officer/check-in',
      '/api/officer/check-in/undo',
    ),
    body: fc.record({
      code: fc.oneof(
        bookingCode,
        fc.tuple(bookingCode, office, isoDay(2026, 2027)).map(([c, o, d]) => `FAIRSLOT:${c}:${o}:${d}`),
      ),
    }),
  },
  {
    schema: 'day-sheet query',
    method: 'GET',
    identity: 'officer',
    weight: 3,
    path: at('/api/officer/day-sheet'),
    query: fc.record({ office: fc.constant('medan'), date: isoDay(2020, 2030) }, { requiredKeys: [] }),
  },
  {
    schema: 'public draw params',
    method: 'GET',
    identity: 'none',
    weight: 3,
    path: fc.tuple(office, isoDay(2026, 2027)).map(([o, d]) => `/api/draws/${o}/${d}`),
  },
];

// ---- near-valid: one change to a valid value ---------------------------------------------------------

export const HOSTILE: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  '\u0000',
  'a\rb',
  '\r\n',
  '\u202Eevil',
  '\u0301\u0301',
  `A${'\u0301'.repeat(99)}`,
  '\uD800',
  '👩‍👩‍👧‍👦',
  'x'.repeat(5000),
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  '1800-01-01',
  '2030-01-01',
  '<script>alert(1)</script>',
  "'; DROP TABLE x; --",
  '{o:medan}',
  '__proto__',
  '../../etc/passwd',
  '%00',
  '1e9999',
  [],
  [null],
  {},
  { __proto__: { admin: true } },
];

export interface Mutation {
  kind: 'replace' | 'remove' | 'extra' | 'whole';
  at: number;
  value: unknown;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'remove', 'extra', 'whole'),
  at: fc.nat(),
  value: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  ),
});

/** Every path into a JSON value (objects and arrays), shallowest first. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [];
  const out: (string | number)[][] = [];
  for (const [k, child] of Object.entries(v)) {
    const p = [...prefix, Array.isArray(v) ? Number(k) : k];
    out.push(p, ...paths(child, p));
  }
  return out;
}

export function mutate(value: Json, m: Mutation): unknown {
  if (m.kind === 'whole') return m.value;
  const copy = structuredClone(value);
  if (m.kind === 'extra') return { ...copy, [`x${m.at % 7}`]: m.value };
  const all = paths(copy);
  if (all.length === 0) return m.value;
  const path = all[m.at % all.length]!;
  let parent: any = copy;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const last = path.at(-1)!;
  if (m.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = m.value;
  }
  return copy;
}
