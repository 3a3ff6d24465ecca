// "Run now" acts on the office's current draw only. Pressed twice (a double click, two admins, a retried
// request), at once or one after the other, it draws exactly one draw and never touches the next one;
// closing before the announced close needs early: true, and any other draw is a 409 naming the current one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawCloseInstant } from '../../src/domain/calendar.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { fillDraw } from '../support/entries.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let admin: Record<string, string>;
// Monday 08:00 WIB: the draw of 2026-11-30 closes at 19:00 WIB (12:00 UTC), for Wednesday.
const MONDAY = new Date('2026-11-30T01:00:00Z');
const OFFICE = 'jakarta-selatan';

beforeAll(async () => {
  sys = await startTestSystem({}, { workers: true });
  sys.clock.now = MONDAY;
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  admin = await signInStaff(sys, { username: 'run-admin', role: 'admin' });
  await fillDraw(sys.deps, OFFICE, '2026-11-30', '2026-12-02', 40);
  // The next draw already has entries: it must stay open whatever happens to today's.
  await fillDraw(sys.deps, OFFICE, '2026-12-01', '2026-12-03', 10, { prefix: 'next' });
});
afterAll(() => sys.stop());

const run = (body: unknown) => call(sys, 'POST', `/api/admin/draws/${OFFICE}/run`, body, admin);
const state = async (d: string) => (await sys.deps.draws.meta(OFFICE, d))?.state ?? null;
const drawJobs = async () =>
  (
    await sys.deps.queues!.draw.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'], 0, -1)
  ).filter((j) => j.name === 'run');

describe('run now', () => {
  it('names its draw: no date is a 400, another draw a 409 naming the current one', async () => {
    const none = await run({});
    expect(none.status).toBe(400);
    expect(none.body.error.fields[0].path).toBe('drawDate');
    const other = await run({ drawDate: '2026-12-01', early: true });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('not_current_draw');
    expect(other.body.error.current).toMatchObject({ drawDate: '2026-11-30', state: 'open', entries: 40 });
    expect(await state('2026-12-01')).toBe('open');
  });

  it('the console shows how early and how many entries; closing early needs early: true', async () => {
    const view = await call(sys, 'GET', `/api/admin/draws/${OFFICE}`, undefined, admin);
    expect(view.body.current).toMatchObject({
      drawDate: '2026-11-30',
      state: 'open',
      early: true,
      entries: 40,
      closesAt: '2026-11-30T12:00:00.000Z',
      stuck: false,
    });
    const unconfirmed = await run({ drawDate: '2026-11-30' });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error).toMatchObject({ code: 'early_close_unconfirmed', minutesEarly: 660 });
    expect(unconfirmed.body.error.message).toContain('40 entries');
    expect(await state('2026-11-30')).toBe('open');
  });

  it('pressed twice at once, then again and again: one draw, drawn once, the next one untouched', async () => {
    const [a, b] = await Promise.all([
      run({ drawDate: '2026-11-30', early: true }),
      run({ drawDate: '2026-11-30', early: true }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toMatchObject({ drawDate: '2026-11-30', status: 'drawn', entryCount: 40 });
    expect(b.body.resultsDigest).toBe(a.body.resultsDigest);
    const first = (await sys.deps.draws.meta(OFFICE, '2026-11-30'))!;

    // In sequence, as a double click after the answer or a second admin would.
    for (let i = 0; i < 3; i++) {
      const again = await run({ drawDate: '2026-11-30', early: true });
      expect(again.status).toBe(200);
      expect(again.body.resultsDigest).toBe(a.body.resultsDigest);
    }
    // The console, still showing the next draw's date, cannot reach it either.
    const next = await run({ drawDate: '2026-12-01', early: true });
    expect(next.status).toBe(409);
    expect(next.body.error.current).toMatchObject({ drawDate: '2026-11-30', state: 'drawn' });

    const meta = (await sys.deps.draws.meta(OFFICE, '2026-11-30'))!;
    expect(meta.drawnAt).toBe(first.drawnAt);
    expect(meta.resultsDigest).toBe(first.resultsDigest);
    expect(await state('2026-12-01')).toBe('open');
    expect(await sys.deps.draws.list(OFFICE)).toEqual(['2026-12-01', '2026-11-30']);
    expect((await drawJobs()).map((j) => j.id)).toEqual([`draw.${OFFICE}.2026-11-30`]);
  });

  it('after the announced close the next draw becomes current, and needs early: true again', async () => {
    const rules = (await sys.deps.offices.rules(OFFICE))!.rules;
    sys.clock.now = new Date(drawCloseInstant(rules, 'Asia/Jakarta', '2026-11-30').getTime() + 60_000);
    try {
      const view = await call(sys, 'GET', `/api/admin/draws/${OFFICE}`, undefined, admin);
      expect(view.body.current).toMatchObject({ drawDate: '2026-12-01', state: 'open', early: true });
      expect((await run({ drawDate: '2026-12-01' })).body.error.code).toBe('early_close_unconfirmed');
      expect(await state('2026-12-01')).toBe('open');
    } finally {
      sys.clock.now = MONDAY;
    }
  });
});
