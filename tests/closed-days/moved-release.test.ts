// A moved offer given up (cancelled, or left to expire) frees the place reserved for it on the later day:
// before that day's draw closes the draw seats one more winner in it, after the close it goes to the
// best-ranked entry on that day's waitlist, like any released place. Real Redis, no workers (the
// lifecycle runs its offer-next step inline).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { defaultRules, type Rules } from '../../src/domain/rules.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import { parseResults } from '../../src/store/draws.ts';
import { call, powFor, signInApplicant, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
const OFFICE = 'jayapura'; // WIT, UTC+9
const DRAW = '2026-11-30'; // fills Wednesday
const DAY = '2026-12-02';
const NEXT_DRAW = '2026-12-01'; // fills Thursday
const NEXT_DAY = '2026-12-03';
const rules: Rules = { ...defaultRules, sessions: [{ id: 's1', start: '08:00', end: '10:00', capacity: 2 }] };

async function enter(i: number): Promise<string> {
  const headers = await signInApplicant(sys, `moved${i}@example.org`, `10.9.1.${i}`);
  const birthDate = `19${70 + i}-04-0${(i % 9) + 1}`;
  const nik = exampleNik({ birthDate, sex: 'F', serial: 200 + i });
  const p = await call(
    sys,
    'POST',
    '/api/me/persons',
    { nik, name: `Orang ${'ABCDEFGH'[i]}`, birthDate },
    headers,
  );
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  const body = {
    personId: p.body.person.id,
    officeId: OFFICE,
    prefs: 'any',
    pow: await powFor(sys, 'entry'),
  };
  const e = await call(sys, 'POST', '/api/me/entries', body, headers);
  expect(e.status, JSON.stringify(e.body)).toBe(201);
  return e.body.entry.ticket;
}

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = new Date('2026-11-30T01:00:00Z'); // Monday 10:00 WIT
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  await sys.deps.offices.updateRules(OFFICE, rules, 1, 'test');
});
afterAll(() => sys.stop());

describe('a moved offer given up', () => {
  it('before the later day’s draw closes, its place goes back to that draw', async () => {
    await enter(1);
    await enter(2);
    await new DrawRunner(sys.deps).run(OFFICE, DRAW);
    expect(await sys.deps.lifecycle.fanout(OFFICE, DRAW)).toEqual({ offered: 2, waitlisted: 0 });
    for (const i of [3, 4, 5]) await enter(i); // Tuesday's draw, for Thursday
    const closed = await sys.deps.lifecycle.closeDay(OFFICE, DAY, 'Banjir', 'test');
    expect(closed).toMatchObject({ moved: 2, unplaced: 0 });
    expect(await sys.deps.closedDays.reserved(OFFICE, NEXT_DAY)).toEqual({ s1: 2 });

    const [first] = await sys.deps.appointments.forDay(OFFICE, NEXT_DAY);
    await sys.deps.lifecycle.cancel(first!.accountId, first!.code);
    expect(await sys.deps.closedDays.reserved(OFFICE, NEXT_DAY)).toEqual({ s1: 1 });
    // A repeated offer-next step (a retried job) gives nothing back twice.
    expect(await sys.deps.lifecycle.offerNext(OFFICE, NEXT_DAY, 's1', first!.code)).toBeNull();
    expect(await sys.deps.closedDays.reserved(OFFICE, NEXT_DAY)).toEqual({ s1: 1 });

    await new DrawRunner(sys.deps).run(OFFICE, NEXT_DRAW);
    const published = await call(sys, 'GET', `/api/draws/${OFFICE}/${NEXT_DRAW}`);
    expect(published.body.sessions).toEqual([{ id: 's1', capacity: 1 }]);
    expect(await sys.deps.lifecycle.fanout(OFFICE, NEXT_DRAW)).toEqual({ offered: 1, waitlisted: 2 });
    expect(await sys.deps.appointments.held(OFFICE, NEXT_DAY)).toEqual({ s1: 2 });
  });

  it('after that draw, its place goes to the best-ranked waitlisted entry, until the cut-off', async () => {
    const moved = (await sys.deps.appointments.forDay(OFFICE, NEXT_DAY)).find(
      (a) => a.source === 'moved' && a.state === 'offered',
    )!;
    const ranked = parseResults((await sys.deps.draws.results(OFFICE, NEXT_DRAW)) ?? '').filter(
      (r) => r.sessionId === null,
    );
    expect(ranked).toHaveLength(2);
    sys.clock.now = new Date(moved.deadline + 60_000); // the moved offer expires unconfirmed
    expect(await sys.deps.lifecycle.forfeit(OFFICE, moved.code)).toBe(true);
    const day = await sys.deps.appointments.forDay(OFFICE, NEXT_DAY);
    const offered = day.filter((a) => a.source === 'waitlist');
    expect(offered.map((a) => [a.ticket, a.state, a.sessionId])).toEqual([
      [ranked[0]!.ticket, 'offered', 's1'],
    ]);
    expect(await sys.deps.appointments.held(OFFICE, NEXT_DAY)).toEqual({ s1: 2 });

    // Past the cut-off (Wednesday 12:00 WIT) a released place is offered to nobody.
    sys.clock.now = new Date('2026-12-02T03:30:00Z');
    const taken = day.find((a) => a.source === 'draw')!;
    await sys.deps.appointments.transition(taken, ['offered'], 'cancelled', 'test', { endsActive: true });
    expect(await sys.deps.lifecycle.offerNext(OFFICE, NEXT_DAY, 's1', taken.code)).toBeNull();
    const after = (await sys.deps.appointments.forDay(OFFICE, NEXT_DAY)).filter(
      (a) => a.source === 'waitlist',
    );
    expect(after).toHaveLength(1);
  });
});
