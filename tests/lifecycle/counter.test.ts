// The counter in two steps: look up (name, masked NIK, session, priority claim), then confirm the arrival;
// undo for a few minutes, audited in the appointment's history. Every refusal carries what the officer
// tells the applicant: the appointment's date, when check-in opens, which office the code is for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { standbyAfterMinutes } from '../../src/domain/rules.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { CHECK_IN_UNDO_MS } from '../../src/services/counter-desk.ts';
import {
  call,
  powFor,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

let sys: TestSystem;
const OFFICE = 'jakarta-selatan'; // WIB, UTC+7
const MONDAY_08_WIB = new Date('2026-11-30T01:00:00Z');
const DAY = '2026-12-02'; // Wednesday: the Monday evening draw is for this day
let officer: Record<string, string>;
let stranger: Record<string, string>;
let admin: Record<string, string>;
let code = '';
let sessionStart = 0;

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = MONDAY_08_WIB;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  officer = await signInStaff(sys, { username: 'ct-officer', role: 'officer', officeId: OFFICE });
  stranger = await signInStaff(sys, { username: 'ct-medan', role: 'officer', officeId: 'medan' });
  admin = await signInStaff(sys, { username: 'ct-admin', role: 'admin' });
  const bambang = await enter('081234567001', 'Bambang Sutrisno', '1950-03-04', null); // 60+: priority by age from the NIK
  const siti = await enter('081234567002', 'Siti Rahayu', '1988-06-07', null);
  await sys.deps.drawControl.runNow(OFFICE, '2026-11-30');
  for (const who of [bambang, siti]) {
    const a = (await sys.deps.appointments.forDay(OFFICE, DAY)).find((x) => x.personId === who.personId)!;
    const r = await call(sys, 'POST', `/api/me/appointments/${a.code}/confirm`, {}, who.headers);
    expect(r.status).toBe(200);
    who.code = a.code;
    const rules = (await sys.deps.offices.rules(OFFICE))!.rules;
    const s = rules.sessions.find((x) => x.id === a.sessionId)!;
    const [hh, mm] = s.start.split(':').map(Number);
    who.start = Date.parse(`${DAY}T00:00:00Z`) + ((hh! - 7) * 60 + mm!) * 60_000;
    const [eh, em] = s.end.split(':').map(Number);
    who.end = Date.parse(`${DAY}T00:00:00Z`) + ((eh! - 7) * 60 + em!) * 60_000;
  }
  code = bambang.code;
  sessionStart = bambang.start;
  other = siti;
});

/** An applicant with one person entered in Monday's draw. */
async function enter(contact: string, name: string, birthDate: string, category: string | null) {
  const headers = await signInApplicant(sys, contact);
  const nik = exampleNik({ birthDate, sex: 'F', serial: Number(contact.slice(-1)) });
  const person = await call(sys, 'POST', '/api/me/persons', { nik, name, birthDate, category }, headers);
  expect(person.status).toBe(201);
  const personId: string = person.body.person.id;
  const entry = await call(
    sys,
    'POST',
    '/api/me/entries',
    { personId, officeId: OFFICE, prefs: 'any', pow: await powFor(sys, 'entry') },
    headers,
  );
  expect(entry.status).toBe(201);
  return { headers, personId, code: '', start: 0, end: 0 };
}
let other: Awaited<ReturnType<typeof enter>>;
afterAll(() => sys.stop());

const lookup = (c: string, who = officer) =>
  call(sys, 'POST', '/api/officer/check-in/lookup', { code: c }, who);
const confirm = (c: string, who = officer) => call(sys, 'POST', '/api/officer/check-in', { code: c }, who);
const undo = (c: string, who = officer) => call(sys, 'POST', '/api/officer/check-in/undo', { code: c }, who);
const state = async () => (await sys.deps.appointments.byCode(code))!.state;

describe('check-in at the counter', () => {
  it('a wrong-day code names the day of the appointment', async () => {
    sys.clock.now = new Date(sessionStart - 86_400_000);
    for (const r of [await lookup(code), await confirm(code)]) {
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'wrong_day', date: DAY });
    }
    expect(await state()).toBe('confirmed');
  });

  it('before the window the answer says when check-in opens (an hour before the session)', async () => {
    sys.clock.now = new Date(sessionStart - 61 * 60_000);
    const r = await lookup(code);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('too_early');
    expect(Date.parse(r.body.error.opensAt)).toBe(sessionStart - 3600_000);
    expect(Date.parse(r.body.error.start)).toBe(sessionStart);
    expect(await state()).toBe('confirmed');
  });

  it('another office’s code says which office it belongs to, and nothing else about it', async () => {
    sys.clock.now = new Date(sessionStart);
    const r = await lookup(code, stranger);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('wrong_office');
    expect(r.body.error.officeName).toMatch(/Jakarta Selatan/);
    expect(JSON.stringify(r.body)).not.toContain('Bambang');
    expect((await confirm(code, stranger)).body.error.code).toBe('wrong_office');
    const unknown = await lookup('ZZZZZZZZZZ');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_code');
    expect((await lookup('hello')).status).toBe(400);
    expect((await call(sys, 'POST', '/api/officer/check-in/lookup', { code })).status).toBe(401);
    expect(await state()).toBe('confirmed');
  });

  it('look-up shows name, masked NIK, session and priority claim and changes nothing', async () => {
    sys.clock.now = new Date(sessionStart - 30 * 60_000);
    const r = await lookup(`FAIRSLOT:${code}:${OFFICE}:${DAY}`);
    expect(r.status).toBe(200);
    expect(r.body.appointment).toMatchObject({
      code,
      state: 'confirmed',
      date: DAY,
      name: 'Bambang Sutrisno',
      priority: { id: 'lansia' },
      undoUntil: null,
    });
    expect(r.body.appointment.nikMasked).toMatch(/\*/);
    expect(Date.parse(r.body.appointment.start)).toBe(sessionStart);
    expect(await state()).toBe('confirmed');
  });

  it('confirming records the arrival; undo within five minutes takes it back, both in the history', async () => {
    const ok = await confirm(code);
    expect(ok.status).toBe(200);
    expect(ok.body.appointment.state).toBe('checked_in');
    const at = Date.parse(ok.body.appointment.checkedInAt);
    expect(Date.parse(ok.body.appointment.undoUntil)).toBe(at + CHECK_IN_UNDO_MS);
    const again = await lookup(code);
    expect(again.body.error).toMatchObject({ code: 'already_checked_in' });
    expect(again.body.error.undoUntil).toBe(ok.body.appointment.undoUntil);
    // Someone else's office may not undo it.
    expect((await undo(code, stranger)).body.error.code).toBe('wrong_office');
    sys.clock.now = new Date(at + CHECK_IN_UNDO_MS - 1000);
    const undone = await undo(code);
    expect(undone.status).toBe(200);
    expect(undone.body.appointment).toMatchObject({ state: 'confirmed', checkedInAt: null });
    const a = (await sys.deps.appointments.byCode(code))!;
    expect(a.history.map((h) => h.cause).slice(-2)).toEqual([
      'checked in by ct-officer',
      'check-in undone by ct-officer',
    ]);
    // The person holds their one active slot again, as any confirmed appointment does.
    expect(await sys.redis.client.hget(keys.nik(a.nikHash), 'active')).toContain(OFFICE);
    expect((await undo(code)).body.error.code).toBe('not_checked_in');
  });

  it('after five minutes the check-in stands', async () => {
    const ok = await confirm(code, admin);
    expect(ok.status).toBe(200);
    sys.clock.now = new Date(Date.parse(ok.body.appointment.checkedInAt) + CHECK_IN_UNDO_MS + 1000);
    const late = await undo(code, admin);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'undo_expired', undoUntil: ok.body.appointment.undoUntil });
    expect(await state()).toBe('checked_in');
    const held = await sys.deps.appointments.held(OFFICE, DAY);
    expect(Object.values(held).reduce((n, x) => n + x, 0)).toBe(2);
  });

  it('after the standby moment (or the session and its grace) the answer says check-in has closed', async () => {
    const grace = (await sys.deps.offices.rules(OFFICE))!.rules.checkInGraceMinutes;
    sys.clock.now = new Date(other.end + grace * 60_000 + 1000);
    const r = await lookup(other.code);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('too_late');
    // With a standby line (default) check-in closes at the standby moment, inside the session.
    const standby = standbyAfterMinutes((await sys.deps.offices.rules(OFFICE))!.rules)!;
    expect(Date.parse(r.body.error.closedAt)).toBe(
      Math.min(other.end + grace * 60_000, other.start + standby * 60_000),
    );
    expect((await confirm(other.code)).body.error.code).toBe('too_late');
    expect((await sys.deps.appointments.byCode(other.code))!.state).toBe('confirmed');
    // A code already used says so, however late: nothing is hidden behind "closed".
    expect((await lookup(code)).body.error.code).toBe('already_checked_in');
  });
});
