// POST /api/me/entries with a group: a family enters together; a minor only with an adult; refusals are
// 4xx answers that change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import {
  call,
  powFor,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

let sys: TestSystem;
const NAMES = ['Siti Rahma', 'Budi Santoso', 'Ayu Lestari', 'Dewi Anggraini'];
const MONDAY_MORNING = new Date('2026-11-30T01:00:00Z'); // the draw of 2026-11-30 serves 2026-12-02

async function addPerson(h: Record<string, string>, serial: number, birthDate: string) {
  const r = await call(
    sys,
    'POST',
    '/api/me/persons',
    { nik: exampleNik({ birthDate, sex: 'M', serial }), name: NAMES[serial % NAMES.length], birthDate },
    h,
  );
  expect(r.status).toBe(201);
  return r.body.person.id as string;
}

async function enter(h: Record<string, string>, body: Record<string, unknown>) {
  return call(
    sys,
    'POST',
    '/api/me/entries',
    { officeId: 'jakarta-selatan', prefs: 'any', pow: await powFor(sys, 'entry'), ...body },
    h,
  );
}

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = MONDAY_MORNING;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
});
afterAll(() => sys.stop());

describe('a family enters together', () => {
  it('refuses a minor alone and minors without an adult, and writes nothing', async () => {
    const h = await signInApplicant(sys, '081211110001');
    const child = await addPerson(h, 11, '2015-06-30');
    // 17 on 2026-12-03, one day after the service day: still a minor.
    const teen = await addPerson(h, 12, '2009-12-03');
    const alone = await enter(h, { personId: child });
    expect(alone.status).toBe(409);
    expect(alone.body.error).toMatchObject({ code: 'minor_without_adult', personIds: [child] });
    const minors = await enter(h, { personIds: [child, teen] });
    expect(minors.status).toBe(409);
    expect(minors.body.error.personIds).toEqual([child, teen]);
    expect(await sys.deps.entries.count('jakarta-selatan', '2026-11-30')).toBe(0);
  });

  it('enters an adult with children as one group: one ticket each, sharing the group', async () => {
    const h = await signInApplicant(sys, '081211110002');
    const mother = await addPerson(h, 21, '1988-02-11');
    const son = await addPerson(h, 22, '2016-09-01');
    const daughter = await addPerson(h, 23, '2019-04-20');
    const r = await enter(h, { personIds: [mother, son, daughter] });
    expect(r.status).toBe(201);
    expect(r.body.entries).toHaveLength(3);
    expect(r.body.entries.map((e: { personId: string }) => e.personId)).toEqual([mother, son, daughter]);
    const tickets = r.body.entries.map((e: { ticket: string }) => e.ticket as string);
    expect(new Set(tickets.map((t: string) => t.slice(0, 11))).size).toBe(1);
    expect(r.body.entryCount).toBe(3);
    const list = await call(sys, 'GET', '/api/me/entries', undefined, h);
    expect(list.body.entries).toHaveLength(3);
    // Withdraw works per person: the son leaves, mother and daughter stay a group of two.
    expect((await call(sys, 'DELETE', `/api/me/entries/${tickets[1]}`, undefined, h)).status).toBe(200);
    expect(await sys.deps.entries.count('jakarta-selatan', '2026-11-30')).toBe(2);
    // A member already in cannot enter again, alone or in another group; the refusal names the person.
    const again = await enter(h, { personIds: [mother] });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'already_entered', personId: mother });

    // Staff see the family as one group in the account's entries, members together, the son's withdrawal
    // shown on his own row; a single entry of the account stands alone.
    const single = await signInApplicant(sys, '081211110004');
    expect((await enter(single, { personId: await addPerson(single, 24, '1975-01-05') })).status).toBe(201);
    const admin = await signInStaff(sys, { username: 'groups', role: 'admin' });
    const accountId = (await call(sys, 'GET', '/api/me', undefined, h)).body.account.id;
    const view = await call(sys, 'GET', `/api/admin/accounts/${accountId}`, undefined, admin);
    expect(view.status).toBe(200);
    const group = { id: tickets[0].slice(0, 11), size: 2 };
    expect(
      view.body.entries.map((e: { ticket: string; status: string; group: unknown }) => [
        e.ticket,
        e.status,
        e.group,
      ]),
    ).toEqual([
      [tickets[0], 'pending', group],
      [tickets[1], 'withdrawn', group],
      [tickets[2], 'pending', group],
    ]);
    const otherId = (await call(sys, 'GET', '/api/me', undefined, single)).body.account.id;
    const other = await call(sys, 'GET', `/api/admin/accounts/${otherId}`, undefined, admin);
    expect(other.body.entries).toEqual([expect.objectContaining({ group: null })]);
  });

  it('answers 400/404 for a bad group and changes nothing', async () => {
    const h = await signInApplicant(sys, '081211110003');
    const a = await addPerson(h, 31, '1980-01-01');
    const before = await sys.deps.entries.count('jakarta-selatan', '2026-11-30');
    expect((await enter(h, { personIds: [a, a] })).status).toBe(400);
    expect((await enter(h, { personIds: [a, 'nobody'] })).status).toBe(404);
    expect((await enter(h, { personId: a, personIds: [a] })).status).toBe(400);
    expect((await enter(h, { personIds: [] })).status).toBe(400);
    expect(await sys.deps.entries.count('jakarta-selatan', '2026-11-30')).toBe(before);
  });
});
