// Every date in every route is a real calendar date inside a sane window around today, or a 400 that
// names the field and changes nothing: admin (run, preview, entropy, CSV), officer (day sheet), public.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDate, isRealDate } from '../../src/domain/calendar-date.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { fillDraw } from '../support/entries.ts';
import { call, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let admin: Record<string, string>;
let officer: Record<string, string>;
const OFFICE = 'medan';
const BAD = ['2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '2020-01-01', '2026-1-01', 'today'];

beforeAll(async () => {
  sys = await startTestSystem();
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  admin = await signInStaff(sys, { username: 'dates-admin', role: 'admin' });
  officer = await signInStaff(sys, { username: 'dates-officer', role: 'officer', officeId: OFFICE });
  await fillDraw(sys.deps, OFFICE, '2026-11-30', '2026-12-02', 5);
});
afterAll(() => sys.stop());

function expect400(res: { status: number; body: any }, field: string) {
  expect(res.status).toBe(400);
  expect(res.body.error.fields?.[0]?.path).toBe(field);
  expect(res.body.error.message).toContain(field);
}

describe('the shared date schema', () => {
  it('knows real days', () => {
    for (const d of ['2026-02-28', '2028-02-29', '2026-12-31', '2000-01-01'])
      expect(isRealDate(d)).toBe(true);
    for (const d of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '0000-00-00'])
      expect(isRealDate(d)).toBe(false);
  });

  it('keeps to its window', () => {
    const s = calendarDate({ today: '2026-11-30', pastDays: 10, futureDays: 10 });
    expect(s.safeParse('2026-12-10').success).toBe(true);
    expect(s.safeParse('2026-12-11').success).toBe(false);
    expect(s.safeParse('2026-11-20').success).toBe(true);
    expect(s.safeParse('2026-11-19').success).toBe(false);
  });
});

describe('every dated route answers a bad date with 400 naming the field', () => {
  for (const bad of BAD) {
    it(bad, async () => {
      expect400(
        await call(sys, 'POST', `/api/admin/draws/${OFFICE}/run`, { drawDate: bad, early: true }, admin),
        'drawDate',
      );
      expect400(
        await call(sys, 'POST', `/api/admin/draws/${OFFICE}/preview`, { drawDate: bad }, admin),
        'drawDate',
      );
      expect400(
        await call(
          sys,
          'POST',
          `/api/admin/draws/${OFFICE}/dates/${bad}/entropy`,
          { value: 'beacon-value' },
          admin,
        ),
        'date',
      );
      expect400(
        await call(sys, 'GET', `/api/admin/draws/${OFFICE}/dates/${bad}/export.csv`, undefined, admin),
        'date',
      );
      expect400(
        await call(sys, 'GET', `/api/officer/day-sheet?office=${OFFICE}&date=${bad}`, undefined, officer),
        'date',
      );
      expect400(await call(sys, 'GET', `/api/draws/${OFFICE}/${bad}`), 'date');
      // Nothing changed: the open draw is still open, and no other draw record appeared.
      expect((await sys.deps.draws.meta(OFFICE, '2026-11-30'))?.state).toBe('open');
      expect(await sys.deps.draws.list(OFFICE)).toEqual(['2026-11-30']);
    });
  }

  it('a rules version with a holiday that does not exist is refused', async () => {
    const cur = (await sys.deps.offices.rules(OFFICE))!;
    const res = await call(
      sys,
      'PUT',
      `/api/admin/offices/${OFFICE}/rules`,
      { expectedVersion: cur.version, rules: { ...cur.rules, holidays: ['2026-02-30'] } },
      admin,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('rules.holidays.0');
  });

  it('good dates still work', async () => {
    expect((await call(sys, 'GET', `/api/draws/${OFFICE}/2026-11-30`)).status).toBe(200);
    expect(
      (await call(sys, 'GET', `/api/officer/day-sheet?office=${OFFICE}&date=2026-12-02`, undefined, officer))
        .status,
    ).toBe(200);
    const prev = await call(
      sys,
      'POST',
      `/api/admin/draws/${OFFICE}/preview`,
      { drawDate: '2026-11-30' },
      admin,
    );
    expect(prev.body).toMatchObject({ entries: 5 });
  });
});
