// The admin what-if: current vs proposed rules on an office's recent demand, through the same fairslot
// simulation, behind admin sign-in and rules validation.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminWhatIfRoutes } from '../../src/api/admin/what-if.ts';
import type { AppEnv } from '../../src/api/env.ts';
import { onError } from '../../src/api/middleware/errors.ts';
import { defaultRules, type Rules } from '../../src/domain/rules.ts';
import { signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let app: Hono<AppEnv>;
let admin: Record<string, string>;
const OFFICE = 'kecil';
const rules: Rules = {
  ...defaultRules,
  sessions: [
    { id: 'pagi', start: '08:00', end: '12:00', capacity: 8 },
    { id: 'siang', start: '13:00', end: '16:00', capacity: 8 },
  ],
};

async function post(path: string, body: unknown, headers: Record<string, string>) {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  sys = await startTestSystem();
  await sys.deps.offices.create(
    { id: OFFICE, name: 'Kantor Kecil', address: 'Jl. Contoh 1', tz: 'Asia/Makassar' },
    rules,
    'test',
  );
  // The sub-app as src/app.ts mounts it: app.route('/api/admin/offices', adminWhatIfRoutes).
  app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', sys.deps);
    await next();
  });
  app.route('/api/admin/offices', adminWhatIfRoutes);
  app.onError(onError);
  admin = await signInStaff(sys, { username: 'admin1', role: 'admin' });
});
afterAll(() => sys?.stop());

describe('POST /api/admin/offices/:id/what-if', () => {
  it('needs an admin', async () => {
    const r = await post(`/api/admin/offices/${OFFICE}/what-if`, { rules }, {});
    expect(r.status).toBe(401);
    const officer = await signInStaff(sys, { username: 'officer1', role: 'officer', officeId: OFFICE });
    expect((await post(`/api/admin/offices/${OFFICE}/what-if`, { rules }, officer)).status).toBe(403);
  });

  it('rejects invalid rules with field paths, and unknown offices', async () => {
    const bad = { ...rules, sessions: [{ ...rules.sessions[0]!, capacity: -1 }], daysAhead: 0 };
    const r = await post(`/api/admin/offices/${OFFICE}/what-if`, { rules: bad, days: 7 }, admin);
    expect(r.status).toBe(400);
    const paths = r.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toContain('rules.sessions.0.capacity');
    expect(paths).toContain('rules.daysAhead');
    const tooLong = await post(`/api/admin/offices/${OFFICE}/what-if`, { rules, days: 365 }, admin);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields[0].path).toBe('days');
    expect((await post('/api/admin/offices/nowhere/what-if', { rules }, admin)).status).toBe(404);
  });

  it('simulates current and proposed rules; more capacity holds more', async () => {
    const proposed: Rules = { ...rules, sessions: rules.sessions.map((s) => ({ ...s, capacity: 16 })) };
    const r = await post(`/api/admin/offices/${OFFICE}/what-if`, { rules: proposed, days: 7 }, admin);
    expect(r.status).toBe(200);
    expect(r.body.demand).toMatchObject({ source: 'default', entriesPerDraw: 19, scale: 1 });
    expect(r.body.changes.map((c: { path: string }) => c.path)).toEqual(['sessions']);
    for (const k of [
      'slotsUsedShare',
      'brokerSlotShare',
      'brokerDemandShare',
      'waitMedianDays',
      'waitP95Days',
    ]) {
      expect(typeof r.body.current[k]).toBe('number');
      expect(typeof r.body.proposed[k]).toBe('number');
    }
    expect(r.body.proposed.capacity).toBe(2 * r.body.current.capacity);
    expect(r.body.proposed.held).toBeGreaterThan(r.body.current.held);
    // The simulation ran in its own Redis: the office's real store gained no simulated accounts or draws.
    expect(await sys.deps.draws.list(OFFICE)).toEqual([]);
  }, 60_000);
});
