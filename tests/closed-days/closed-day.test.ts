// Closing a service day, end to end on real Redis and BullMQ: applicants enter through the API, the draw
// runs, an admin closes the day; every offer and appointment moves to a later day before that day's draw
// closes (respecting session preferences), each person is told in their language through the
// notifications queue (outbox), and nothing is drawn for a closed day.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { defaultRules, type Rules } from '../../src/domain/rules.ts';
import { verifyPublishedDraw } from '../../src/domain/verify.ts';
import { keys } from '../../src/redis/keys.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DayClosedError, DrawRunner } from '../../src/services/draw-runner.ts';
import { openDraw } from '../../src/services/open-draw.ts';
import { unpackEntry } from '../../src/store/entry-codec.ts';
import { drawProcessor } from '../../workers/draw.ts';
import {
  call,
  outbox,
  powFor,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

let sys: TestSystem;
let admin: Record<string, string>;
const OFFICE = 'jayapura'; // WIT, UTC+9
const MONDAY_10_WIT = new Date('2026-11-30T01:00:00Z');
const DRAW = '2026-11-30'; // fills Wednesday
const DAY = '2026-12-02';
const NEXT_DRAW = '2026-12-01'; // fills Thursday
const NEXT_DAY = '2026-12-03';
const rules: Rules = {
  ...defaultRules,
  sessions: [
    { id: 's1', start: '08:00', end: '10:00', capacity: 2 },
    { id: 's2', start: '10:00', end: '12:00', capacity: 1 },
  ],
};

interface Applicant {
  contact: string;
  headers: Record<string, string>;
  personId: string;
  ticket: string;
}

async function enter(i: number, prefs: string[] | 'any', lang: 'id' | 'en' = 'id'): Promise<Applicant> {
  const contact = `closed${i}@example.org`;
  const headers = await signInApplicant(sys, contact, `10.9.0.${i}`);
  if (lang === 'en') expect((await call(sys, 'PATCH', '/api/me', { lang }, headers)).status).toBe(200);
  const birthDate = `19${80 + i}-05-0${(i % 9) + 1}`;
  const p = await call(
    sys,
    'POST',
    '/api/me/persons',
    { nik: exampleNik({ birthDate, sex: 'M', serial: 100 + i }), name: `Orang ${'ABCDEFGH'[i]}`, birthDate },
    headers,
  );
  expect(p.status).toBe(201);
  const e = await call(
    sys,
    'POST',
    '/api/me/entries',
    { personId: p.body.person.id, officeId: OFFICE, prefs, pow: await powFor(sys, 'entry') },
    headers,
  );
  expect(e.status, JSON.stringify(e.body)).toBe(201);
  return { contact, headers, personId: p.body.person.id, ticket: e.body.entry.ticket };
}

/** The outbox is written by the notify worker: wait until `n` messages of a template are there. */
async function waitForOutbox(template: string, n: number) {
  for (let i = 0; i < 200; i++) {
    const found = outbox(sys).filter((m) => m.template === template);
    if (found.length >= n) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${n} '${template}' messages in the outbox`);
}

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  sys.clock.now = MONDAY_10_WIT;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.offices.updateRules(OFFICE, rules, 1, 'test');
  admin = await signInStaff(sys, { username: 'closer', role: 'admin' });
});
afterAll(() => sys.stop());

describe('closing a day that has appointments', () => {
  const people: Applicant[] = [];

  it('the draw seats three; one confirms', async () => {
    people.push(await enter(1, 'any'), await enter(2, ['s2']), await enter(3, ['s1'], 'en'));
    await new DrawRunner(sys.deps).run(OFFICE, DRAW);
    expect(await sys.deps.lifecycle.fanout(OFFICE, DRAW)).toEqual({ offered: 3, waitlisted: 0 });
    const first = (await sys.deps.appointments.forDay(OFFICE, DAY)).find(
      (a) => a.personId === people[0]!.personId,
    )!;
    await sys.deps.lifecycle.confirm(first.accountId, first.code);
    // A fourth person enters after the draw: the entry goes into Thursday's draw.
    people.push(await enter(4, 'any'));
  });

  it('refuses a close without a reason, for a date that does not exist, and by an officer', async () => {
    const path = `/api/admin/offices/${OFFICE}/closed-days`;
    const noReason = await call(sys, 'POST', path, { date: DAY }, admin);
    expect(noReason.status).toBe(400);
    const badDate = await call(sys, 'POST', path, { date: '2026-02-30', reason: 'Banjir' }, admin);
    expect(badDate.status).toBe(400);
    const officer = await signInStaff(sys, { username: 'loket', role: 'officer', officeId: OFFICE });
    expect((await call(sys, 'POST', path, { date: DAY, reason: 'Banjir' }, officer)).status).toBe(403);
    expect(await sys.deps.closedDays.closings(OFFICE)).toEqual([]);
  });

  it('an admin closes the day: every place moves to Thursday before its draw, in the sessions asked for', async () => {
    const before = await sys.deps.appointments.forDay(OFFICE, DAY);
    const res = await call(
      sys,
      'POST',
      `/api/admin/offices/${OFFICE}/closed-days`,
      { date: DAY, reason: 'Banjir di sekitar kantor' },
      admin,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ moved: 3, unplaced: 0, alreadyClosed: false });
    expect(res.body.closing).toMatchObject({ date: DAY, reason: 'Banjir di sekitar kantor', by: 'closer' });

    const after = await sys.deps.appointments.forDay(OFFICE, DAY);
    expect(after.every((a) => a.state === 'cancelled' && a.movedTo)).toBe(true);
    const moved = await sys.deps.appointments.forDay(OFFICE, NEXT_DAY);
    expect(moved).toHaveLength(3);
    for (const m of moved) {
      expect(m.state).toBe('offered');
      expect(m.source).toBe('moved');
      const old = before.find((b) => b.personId === m.personId)!;
      expect(after.find((a) => a.code === old.code)!.movedTo).toBe(m.code);
      // The one active slot of the person now stands for the new place.
      expect(await sys.deps.entries.activeOf(m.nikHash)).toBe(`${OFFICE}|${m.drawDate}|${m.ticket}`);
      // A confirmation window like any offer: 12 h, never past Thursday's cut-off.
      expect(m.deadline).toBe(MONDAY_10_WIT.getTime() + 12 * 3600_000);
    }
    const session = (i: number) => moved.find((m) => m.personId === people[i]!.personId)!.sessionId;
    expect(session(1)).toBe('s2');
    expect(session(2)).toBe('s1');
    expect(await sys.deps.closedDays.reserved(OFFICE, NEXT_DAY)).toEqual({ s1: 2, s2: 1 });

    // Audited: who closed it, why, and when.
    const log = await call(sys, 'GET', `/api/admin/offices/${OFFICE}/closed-days`, undefined, admin);
    expect(log.body.log).toEqual([expect.objectContaining({ action: 'close', date: DAY, by: 'closer' })]);

    // Repeating the close moves nothing twice.
    const again = await call(
      sys,
      'POST',
      `/api/admin/offices/${OFFICE}/closed-days`,
      { date: DAY, reason: 'lagi' },
      admin,
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyClosed: true, moved: 0 });
    expect(await sys.deps.appointments.forDay(OFFICE, NEXT_DAY)).toHaveLength(3);
  });

  it('each person is told through the notifications queue, in their own language', async () => {
    const sent = await waitForOutbox('day_closed_moved', 3);
    const to = (i: number) => sent.find((m) => m.to === people[i]!.contact)!;
    expect(to(0).text).toMatch(/tutup/);
    expect(to(2).lang).toBe('en');
    expect(to(2).text).toMatch(/is closed on/);
    const moved = await sys.deps.appointments.forDay(OFFICE, NEXT_DAY);
    for (const m of moved) expect(sent.some((s) => s.text.includes(m.code))).toBe(true);
  });

  it('Thursday’s draw seats its entrants only in the places left, and its record still verifies', async () => {
    // Monday's draw filled the closed Wednesday: Tuesday's is the current one, and running it before its
    // announced close needs the admin's confirmation.
    const current = await call(sys, 'GET', `/api/admin/draws/${OFFICE}`, undefined, admin);
    expect(current.body.current).toMatchObject({ drawDate: NEXT_DRAW, state: 'open', early: true });
    const unconfirmed = await call(
      sys,
      'POST',
      `/api/admin/draws/${OFFICE}/run`,
      { drawDate: NEXT_DRAW },
      admin,
    );
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error?.code ?? unconfirmed.body.code).toBe('early_close_unconfirmed');
    const res = await call(
      sys,
      'POST',
      `/api/admin/draws/${OFFICE}/run`,
      { drawDate: NEXT_DRAW, early: true },
      admin,
    );
    expect([200, 202]).toContain(res.status);
    for (let i = 0; i < 200 && (await sys.deps.draws.meta(OFFICE, NEXT_DRAW))?.state !== 'drawn'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const published = await call(sys, 'GET', `/api/draws/${OFFICE}/${NEXT_DRAW}`);
    expect(published.body.sessions).toEqual([
      { id: 's1', capacity: 0 },
      { id: 's2', capacity: 0 },
    ]);
    expect(published.body.results).toHaveLength(1);
    expect(published.body.results[0].sessionId).toBeNull();
    expect(verifyPublishedDraw(published.body).match).toBe(true);
    // Against the rules' full capacities the same record would not verify: the reservation is in it.
    const full = rules.sessions.map((x) => ({ id: x.id, capacity: x.capacity }));
    expect(verifyPublishedDraw({ ...published.body, sessions: full }).match).toBe(false);
    const held = await sys.deps.appointments.held(OFFICE, NEXT_DAY);
    expect(held).toEqual({ s1: 2, s2: 1 });
  });
});

describe('nothing is drawn for a closed day', () => {
  const FRIDAY = '2026-12-04';
  const FRIDAY_DRAW = '2026-12-02';

  it('entries waiting for a day that closes move to the next draw, keeping their chances', async () => {
    sys.clock.now = new Date('2026-12-01T11:00:00Z'); // Tuesday 20:00 WIT: entries go to Wednesday's draw
    const a = await enter(5, 'any');
    const b = await enter(6, ['s2']);
    const res = await call(
      sys,
      'POST',
      `/api/admin/offices/${OFFICE}/closed-days`,
      { date: FRIDAY, reason: 'Pemadaman listrik' },
      admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.entriesMoved).toBe(2);
    const next = await openDraw(sys.deps, OFFICE, 'Asia/Jayapura', rules, sys.clock.now);
    expect(next?.targetDate).toBe('2026-12-07'); // Friday skipped, weekend, Monday
    expect(await sys.deps.entries.count(OFFICE, next!.drawDate)).toBe(2);
    const moved = (await sys.deps.entries.packedEntries(OFFICE, FRIDAY_DRAW, [a.ticket, b.ticket])).map((p) =>
      unpackEntry(p!),
    );
    for (const e of moved) {
      const active = (await sys.deps.entries.activeOf(e.nikHash))!;
      expect(active.startsWith(`${OFFICE}|${next!.drawDate}|`)).toBe(true);
      const [packed] = await sys.deps.entries.packedEntries(OFFICE, next!.drawDate, [active.split('|')[2]!]);
      expect(unpackEntry(packed!)).toMatchObject({ losses: 0, prefs: e.prefs });
    }
    const sent = await waitForOutbox('day_closed_entry_moved', 2);
    expect(sent.map((m) => m.to).sort()).toEqual([a.contact, b.contact].sort());
  });

  it('a family of an adult and a child waiting for a closed day’s draw moves to the next draw as one group', async () => {
    sys.clock.now = new Date('2026-12-01T11:00:00Z');
    const contact = 'closedfamily@example.org';
    const headers = await signInApplicant(sys, contact, '10.9.0.50');
    const person = async (birthDate: string, serial: number, name: string) => {
      const p = await call(
        sys,
        'POST',
        '/api/me/persons',
        { nik: exampleNik({ birthDate, sex: 'F', serial }), name, birthDate },
        headers,
      );
      expect(p.status).toBe(201);
      return p.body.person.id as string;
    };
    const mother = await person('1986-03-14', 301, 'Siti Rahma');
    const child = await person('2016-09-01', 302, 'Ayu Lestari');
    const e = await call(
      sys,
      'POST',
      '/api/me/entries',
      { personIds: [mother, child], officeId: OFFICE, prefs: ['s1'], pow: await powFor(sys, 'entry') },
      headers,
    );
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    const old: string[] = e.body.entries.map((x: { ticket: string }) => x.ticket);
    const from = (await openDraw(sys.deps, OFFICE, 'Asia/Jayapura', rules, sys.clock.now))!;
    // The two moved in by the test above wait in the same draw, and move again with the family.
    const waiting = await sys.deps.entries.count(OFFICE, from.drawDate);
    expect(waiting).toBe(4);
    const res = await call(
      sys,
      'POST',
      `/api/admin/offices/${OFFICE}/closed-days`,
      { date: from.targetDate, reason: 'Banjir di jalan menuju kantor' },
      admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.entriesMoved).toBe(waiting);
    const next = (await openDraw(sys.deps, OFFICE, 'Asia/Jayapura', rules, sys.clock.now))!;
    expect(next.drawDate).not.toBe(from.drawDate);
    expect(await sys.deps.entries.count(OFFICE, next.drawDate)).toBe(waiting);
    // Both still hold a place (the child's was not released and refused), in the next draw, as one group.
    const tickets: string[] = [];
    for (const [i, packed] of (await sys.deps.entries.packedEntries(OFFICE, from.drawDate, old)).entries()) {
      const was = unpackEntry(packed!);
      const active = (await sys.deps.entries.activeOf(was.nikHash))!;
      expect(active.startsWith(`${OFFICE}|${next.drawDate}|`)).toBe(true);
      const ticket = active.split('|')[2]!;
      tickets.push(ticket);
      const [now] = await sys.deps.entries.packedEntries(OFFICE, next.drawDate, [ticket]);
      expect(unpackEntry(now!)).toMatchObject({
        personId: [mother, child][i],
        group: true,
        losses: was.losses,
        prefs: ['s1'],
      });
    }
    expect(tickets[0]!.slice(0, 11)).toBe(tickets[1]!.slice(0, 11));
    expect(tickets[0]).not.toBe(tickets[1]);
    const list = await call(sys, 'GET', '/api/me/entries', undefined, headers);
    const byTicket = new Map(list.body.entries.map((x: { ticket: string }) => [x.ticket, x]));
    expect(byTicket.get(old[0]!)).toMatchObject({ carriedTo: tickets[0] });
    expect(byTicket.get(old[1]!)).toMatchObject({ carriedTo: tickets[1] });
    // Closing the same day again finds them moved already.
    const again = await call(
      sys,
      'POST',
      `/api/admin/offices/${OFFICE}/closed-days`,
      { date: from.targetDate, reason: 'Banjir di jalan menuju kantor' },
      admin,
    );
    expect(again.body).toMatchObject({ alreadyClosed: true, entriesMoved: 0 });
    expect(await sys.deps.entries.count(OFFICE, next.drawDate)).toBe(waiting);
  });

  it('the scheduler tick skips it, the runner refuses it, and run now answers 409', async () => {
    sys.clock.now = new Date('2026-12-02T10:30:00Z'); // Wednesday 19:30 WIT, after the draw time
    const processor = drawProcessor(sys.deps);
    expect(await processor({ name: 'tick', data: { officeId: OFFICE } } as never)).toEqual({
      skipped: 'not a draw day',
    });
    await expect(new DrawRunner(sys.deps).run(OFFICE, FRIDAY_DRAW)).rejects.toBeInstanceOf(DayClosedError);
    const run = await call(sys, 'POST', `/api/admin/draws/${OFFICE}/run`, { drawDate: FRIDAY_DRAW }, admin);
    expect(run.status).toBe(409);
    expect(run.body.error?.code ?? run.body.code).toBe('day_closed');
    expect(await sys.redis.client.hget(keys.draw(OFFICE, FRIDAY_DRAW), 'state')).toBe('open');
  });
});

describe('national days off', () => {
  it('the 2026 list loads from its data file for every office, and refuses a malformed list', async () => {
    const list = JSON.parse(readFileSync('holidays/id-2026.json', 'utf8'));
    const res = await call(sys, 'POST', '/api/admin/holidays', list, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ year: 2026, days: 25 });
    const got = await call(sys, 'GET', '/api/admin/holidays?year=2026', undefined, admin);
    expect(got.body.days.filter((d: { kind: string }) => d.kind === 'collective_leave')).toHaveLength(8);
    // Christmas Eve (cuti bersama) and Christmas: a draw that would fill them is skipped at every office.
    const makassar = (await sys.deps.offices.rules('makassar'))!.rules;
    const next = await openDraw(
      sys.deps,
      'makassar',
      'Asia/Makassar',
      makassar,
      new Date('2026-12-22T12:00:00Z'),
    );
    expect(next?.targetDate).toBe('2026-12-28');

    const bad = await call(
      sys,
      'POST',
      '/api/admin/holidays',
      { ...list, days: [{ date: '2027-01-01', name: 'x', kind: 'holiday' }] },
      admin,
    );
    expect(bad.status).toBe(400);
    expect((await sys.deps.closedDays.national(2027)).length).toBe(0);
  });
});
