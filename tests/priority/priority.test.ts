// Priority that is checked, on real Redis and BullMQ: age priority from the NIK's birth date on the
// service day (never claimed by hand), claims with the document named, the counter's "seen" / "not seen"
// (claim removed from later draws, a strike, a message through the notifications queue), claim rates
// per office and the flag for accounts whose claims look made up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { ageOn, entryCategory, implausibleClaims } from '../../src/domain/priority.ts';
import { defaultRules } from '../../src/domain/rules.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { unpackEntry } from '../../src/store/entry-codec.ts';
import {
  call,
  outbox,
  powFor,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

describe('age priority from the NIK birth date (pure)', () => {
  it('counts full years on the service day', () => {
    expect(ageOn('1966-12-02', '2026-12-01')).toBe(59);
    expect(ageOn('1966-12-02', '2026-12-02')).toBe(60);
    expect(ageOn('2000-02-29', '2060-02-28')).toBe(59);
    expect(ageOn('2000-02-29', '2060-03-01')).toBe(60);
  });

  it('gives lansia from the 60th birthday on, and the heavier of age and claim', () => {
    const born = { birthDate: '1966-12-02', category: null };
    expect(entryCategory(defaultRules, born, '2026-12-01')).toBeNull();
    expect(entryCategory(defaultRules, born, '2026-12-02')).toBe('lansia');
    // A claim of an age category is ignored: only the birth date gives it.
    expect(
      entryCategory(defaultRules, { birthDate: '1990-01-01', category: 'lansia' }, '2026-12-02'),
    ).toBeNull();
    // ibu-anak (1.5) against lansia (2): the heavier wins.
    expect(entryCategory(defaultRules, { birthDate: '1950-01-01', category: 'ibu-anak' }, '2026-12-02')).toBe(
      'lansia',
    );
    expect(entryCategory(defaultRules, { birthDate: '1990-01-01', category: 'ibu-anak' }, '2026-12-02')).toBe(
      'ibu-anak',
    );
  });

  it('flags three or more persons of an account all claiming the same category', () => {
    const c = (category: string | null) => ({ category });
    expect(implausibleClaims([c('disabilitas'), c('disabilitas')])).toBeNull();
    expect(implausibleClaims([c('disabilitas'), c('disabilitas'), c(null)])).toBeNull();
    expect(implausibleClaims([c('disabilitas'), c('disabilitas'), c('disabilitas')])).toBe('disabilitas');
  });
});

let sys: TestSystem;
let officer: Record<string, string>;
let admin: Record<string, string>;
const OFFICE = 'jakarta-selatan'; // WIB
const MONDAY_08_WIB = new Date('2026-11-30T01:00:00Z');
const DAY = '2026-12-02';

interface Person {
  headers: Record<string, string>;
  accountId: string;
  personId: string;
  nikHash: string;
  contact: string;
  code: string;
}

async function addPerson(
  headers: Record<string, string>,
  serial: number,
  birthDate: string,
  category: string | null,
) {
  const nik = exampleNik({ birthDate, sex: 'F', serial });
  return call(
    sys,
    'POST',
    '/api/me/persons',
    { nik, name: `Ibu ${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[serial % 26]}`, birthDate, category },
    headers,
  );
}

async function enter(
  contact: string,
  serial: number,
  birthDate: string,
  category: string | null,
): Promise<Person> {
  const headers = await signInApplicant(sys, contact, `10.8.0.${serial}`);
  const p = await addPerson(headers, serial, birthDate, category);
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  const e = await call(
    sys,
    'POST',
    '/api/me/entries',
    { personId: p.body.person.id, officeId: OFFICE, prefs: 'any', pow: await powFor(sys, 'entry') },
    headers,
  );
  expect(e.status, JSON.stringify(e.body)).toBe(201);
  const me = await call(sys, 'GET', '/api/me', undefined, headers);
  const accountId = me.body.account?.id ?? me.body.id;
  const person = (await sys.deps.accounts.person(accountId, p.body.person.id))!;
  return { headers, accountId, personId: person.id, nikHash: person.nikHash, contact, code: '' };
}

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  sys.clock.now = MONDAY_08_WIB;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  officer = await signInStaff(sys, { username: 'pr-officer', role: 'officer', officeId: OFFICE });
  admin = await signInStaff(sys, { username: 'pr-admin', role: 'admin' });
});
afterAll(() => sys.stop());

describe('claims at registration', () => {
  it('age priority cannot be claimed by hand, and an unknown category is refused', async () => {
    const headers = await signInApplicant(sys, 'claimer@example.org', '10.8.1.1');
    const byAge = await addPerson(headers, 901, '1990-01-01', 'lansia');
    expect(byAge.status).toBe(400);
    expect(byAge.body.error.code).toBe('priority_by_age');
    const unknown = await addPerson(headers, 902, '1990-01-01', 'vip');
    expect(unknown.status).toBe(400);
    expect((await call(sys, 'GET', '/api/me/persons', undefined, headers)).body.persons).toEqual([]);
  });

  it('three persons of one account all claiming the same category raise one flag', async () => {
    const headers = await signInApplicant(sys, 'keluarga@example.org', '10.8.1.2');
    for (const serial of [911, 912, 913, 914]) {
      expect((await addPerson(headers, serial, '1985-03-03', 'disabilitas')).status).toBe(201);
    }
    const flags = await call(sys, 'GET', '/api/admin/flags', undefined, admin);
    const mine = flags.body.flags.filter((f: { reason: string }) => f.reason === 'implausible_claims');
    expect(mine).toHaveLength(1);
    expect(mine[0].evidence).toMatchObject({ category: 'disabilitas', persons: 3 });
  });
});

describe('the counter checks the claim', () => {
  let elder: Person;
  let mother: Person;
  let disabled: Person;

  beforeAll(async () => {
    elder = await enter('lansia@example.org', 21, '1950-03-04', null);
    mother = await enter('ibu@example.org', 22, '1993-07-08', 'ibu-anak');
    disabled = await enter('kursi@example.org', 23, '1980-01-02', 'disabilitas');
    await sys.deps.drawControl.runNow(OFFICE, '2026-11-30');
    for (let i = 0; i < 100 && (await sys.deps.appointments.forDay(OFFICE, DAY)).length < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const who of [elder, mother, disabled]) {
      const a = (await sys.deps.appointments.forDay(OFFICE, DAY)).find((x) => x.personId === who.personId)!;
      expect(
        (await call(sys, 'POST', `/api/me/appointments/${a.code}/confirm`, {}, who.headers)).status,
      ).toBe(200);
      who.code = a.code;
    }
  });

  it('the entry carries the age category from the NIK and the claimed one as entered', async () => {
    const published = (await call(sys, 'GET', `/api/draws/${OFFICE}/2026-11-30`)).body;
    expect(published.entries).toHaveLength(3);
    const byPerson = async (who: Person) => {
      const a = (await sys.deps.appointments.byCode(who.code))!;
      const [packed] = await sys.deps.entries.packedEntries(OFFICE, a.drawDate, [a.ticket]);
      return unpackEntry(packed!).category;
    };
    expect(await byPerson(elder)).toBe('lansia');
    expect(await byPerson(mother)).toBe('ibu-anak');
  });

  it('look-up shows the claim with its document; confirming a claim needs the officer’s word on it', async () => {
    const a = (await sys.deps.appointments.byCode(mother.code))!;
    const rules = (await sys.deps.offices.rules(OFFICE))!.rules;
    const session = rules.sessions.find((s) => s.id === a.sessionId)!;
    sys.clock.now = new Date(`${DAY}T${session.start}:00+07:00`);
    const look = await call(sys, 'POST', '/api/officer/check-in/lookup', { code: mother.code }, officer);
    expect(look.status).toBe(200);
    expect(look.body.appointment.priority).toEqual({
      id: 'ibu-anak',
      label: 'Ibu hamil / anak balita',
      kind: 'claimed',
      proof: expect.stringMatching(/Buku KIA/),
    });
    // The applicant's page says what to bring for the claim; the office list names each document.
    const mine = await call(sys, 'GET', '/api/me/appointments', undefined, mother.headers);
    expect(mine.body.appointments[0].priority).toEqual({
      label: 'Ibu hamil / anak balita',
      byAge: false,
      proof: expect.stringMatching(/Buku KIA/),
    });
    const offices = await call(sys, 'GET', '/api/offices');
    const cats = offices.body.offices.find((o: { id: string }) => o.id === OFFICE).priorityCategories;
    expect(cats.find((c: { id: string }) => c.id === 'lansia')).toMatchObject({ minAge: 60, proof: null });
    const bare = await call(sys, 'POST', '/api/officer/check-in', { code: mother.code }, officer);
    expect(bare.status).toBe(409);
    expect(bare.body.error.code).toBe('proof_required');
    expect((await sys.deps.appointments.byCode(mother.code))!.state).toBe('confirmed');
    const bad = await call(
      sys,
      'POST',
      '/api/officer/check-in',
      { code: mother.code, proof: 'maybe' },
      officer,
    );
    expect(bad.status).toBe(400);
  });

  it('undoing a "not seen" check-in restores the claim, the strike, the rates, and tells the person', async () => {
    const checkIn = { code: mother.code, proof: 'not_seen' };
    expect((await call(sys, 'POST', '/api/officer/check-in', checkIn, officer)).status).toBe(200);
    expect(await sys.redis.client.zcard(keys.nikStrikes(mother.nikHash))).toBe(1);
    expect((await sys.deps.priorityClaims.rates(OFFICE)).checkins).toBe(1);
    const undo = await call(sys, 'POST', '/api/officer/check-in/undo', { code: mother.code }, officer);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body.appointment).toMatchObject({ state: 'confirmed', proofCheck: null });
    const a = (await sys.deps.appointments.byCode(mother.code))!;
    expect(a.history.at(-1)!.cause).toBe(
      'check-in undone by pr-officer; ibu-anak: claim and strike restored',
    );
    const person = (await sys.deps.accounts.person(mother.accountId, mother.personId))!;
    expect(person.category).toBe('ibu-anak');
    expect(person.claimRevoked).toBeUndefined();
    expect(await sys.redis.client.zcard(keys.nikStrikes(mother.nikHash))).toBe(0);
    expect(await sys.redis.client.hget(keys.nik(mother.nikHash), 'penaltyUntil')).toBeNull();
    expect(await sys.redis.client.hget(keys.penalties(), mother.nikHash)).toBeNull();
    expect(await sys.deps.priorityClaims.rates(OFFICE)).toEqual({
      checkins: 0,
      categories: [expect.objectContaining({ category: 'ibu-anak', count: 0, notSeen: 0 })],
    });
    // A second undo finds nothing to take back.
    expect(
      (await call(sys, 'POST', '/api/officer/check-in/undo', { code: mother.code }, officer)).status,
    ).toBe(409);
    for (let i = 0; i < 100 && !outbox(sys).some((m) => m.template === 'priority_restored'); i++) {
      await new Promise((res) => setTimeout(res, 50));
    }
    const told = outbox(sys).filter((m) => m.template === 'priority_restored');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/Prioritas Anda berlaku lagi/);
    expect(told[0]!.text).not.toMatch(/\d{16}/);
  });

  it('"not seen": checked in, the claim is off the person, a strike is counted and the person is told', async () => {
    const r = await call(
      sys,
      'POST',
      '/api/officer/check-in',
      { code: mother.code, proof: 'not_seen' },
      officer,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.appointment).toMatchObject({ state: 'checked_in', proofCheck: 'not_seen' });
    const a = (await sys.deps.appointments.byCode(mother.code))!;
    expect(a.history.at(-1)!.cause).toBe('checked in by pr-officer; ibu-anak: document not seen');
    const person = (await sys.deps.accounts.person(mother.accountId, mother.personId))!;
    expect(person.category).toBeNull();
    expect(person.claimRevoked).toMatchObject({ category: 'ibu-anak', code: mother.code });
    expect(await sys.redis.client.zcard(keys.nikStrikes(mother.nikHash))).toBe(1);
    expect(Number(await sys.redis.client.hget(keys.penalties(), mother.nikHash))).toBeGreaterThan(
      sys.clock.now.getTime(),
    );
    for (let i = 0; i < 100 && !outbox(sys).some((m) => m.template === 'priority_removed'); i++) {
      await new Promise((res) => setTimeout(res, 50));
    }
    const msg = outbox(sys).find((m) => m.template === 'priority_removed');
    expect(msg?.text).toMatch(/Prioritas dicabut|Ibu hamil/);

    // Her next entry carries no priority; re-adding the person does not bring the claim back.
    sys.clock.now = new Date(`${DAY}T13:00:00Z`);
    const again = await addPerson(mother.headers, 22, '1993-07-08', 'ibu-anak');
    expect(again.status).toBe(200);
    expect(again.body.person.category).toBeNull();
    const e = await call(
      sys,
      'POST',
      '/api/me/entries',
      { personId: mother.personId, officeId: OFFICE, prefs: 'any', pow: await powFor(sys, 'entry') },
      mother.headers,
    );
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    const [packed] = await sys.deps.entries.packedEntries(OFFICE, e.body.entry.drawDate, [
      e.body.entry.ticket,
    ]);
    expect(unpackEntry(packed!).category).toBeNull();
  });

  it('"seen" keeps the claim; age priority checks in without a document; rates per office add up', async () => {
    for (const who of [disabled, elder]) {
      const a = (await sys.deps.appointments.byCode(who.code))!;
      const rules = (await sys.deps.offices.rules(OFFICE))!.rules;
      const session = rules.sessions.find((s) => s.id === a.sessionId)!;
      sys.clock.now = new Date(`${DAY}T${session.start}:00+07:00`);
      const body = who === disabled ? { code: who.code, proof: 'seen' } : { code: who.code };
      const r = await call(sys, 'POST', '/api/officer/check-in', body, officer);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    expect((await sys.deps.accounts.person(disabled.accountId, disabled.personId))!.category).toBe(
      'disabilitas',
    );
    expect(await sys.redis.client.zcard(keys.nikStrikes(disabled.nikHash))).toBe(0);
    const rates = await call(sys, 'GET', `/api/admin/offices/${OFFICE}/claims`, undefined, admin);
    expect(rates.status).toBe(200);
    expect(rates.body.checkins).toBe(3);
    const row = (id: string) => rates.body.categories.find((c: { category: string }) => c.category === id);
    expect(row('ibu-anak')).toMatchObject({ kind: 'claimed', count: 1, notSeen: 1, seen: 0 });
    expect(row('disabilitas')).toMatchObject({ kind: 'claimed', count: 1, seen: 1, notSeen: 0 });
    expect(row('lansia')).toMatchObject({ kind: 'age', count: 1 });
    expect(row('lansia').share).toBeCloseTo(1 / 3);
    const all = await call(sys, 'GET', '/api/admin/claims', undefined, admin);
    expect(all.body.offices.find((o: { officeId: string }) => o.officeId === OFFICE).checkins).toBe(3);
    expect((await call(sys, 'GET', '/api/admin/claims', undefined, officer)).status).toBe(403);
  });
});
