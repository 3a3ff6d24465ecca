// What an applicant with a drawn entry gets back, through HTTP: the same status in their own list as in
// the admin's view of the account, a calendar file that stays well-formed whatever the office's stored
// address holds, and no copy of either left in any cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { defaultRules } from '../../src/domain/rules.ts';
import { keys } from '../../src/redis/keys.ts';
import { DrawRunner } from '../../src/services/draw-runner.ts';
import {
  call,
  powFor,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

let sys: TestSystem;
let applicant: Record<string, string>;
let admin: Record<string, string>;
let accountId: string;
const OFFICE = 'satu-kursi';

beforeAll(async () => {
  sys = await startTestSystem({ RATE_LIMIT_MULTIPLIER: '1000' });
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  admin = await signInStaff(sys, { username: 'out-admin', role: 'admin' });
  // One session with one place: of two entries, exactly one wins and the other is waitlisted.
  const made = await call(
    sys,
    'POST',
    '/api/admin/offices',
    {
      office: { id: OFFICE, name: 'Kantor Satu Kursi', address: 'Jl. Kecil 1, Jakarta', tz: 'Asia/Jakarta' },
      rules: { ...defaultRules, sessions: [{ id: 'pagi', start: '08:00', end: '10:00', capacity: 1 }] },
    },
    admin,
  );
  expect(made.status).toBe(201);
  applicant = await signInApplicant(sys, 'outputs@example.com');
  accountId = (await sys.deps.accounts.accountIdForContact('outputs@example.com'))!;
  let drawDate = '';
  for (const [i, birthDate] of ['1980-01-02', '1985-05-06'].entries()) {
    const p = await call(
      sys,
      'POST',
      '/api/me/persons',
      {
        nik: exampleNik({ birthDate, sex: 'F', serial: 10 + i }),
        name: `Siti ${i ? 'Dua' : 'Satu'}`,
        birthDate,
      },
      applicant,
    );
    expect(p.status).toBe(201);
    const joined = await call(
      sys,
      'POST',
      '/api/me/entries',
      { personId: p.body.person.id, officeId: OFFICE, prefs: 'any', pow: await powFor(sys, 'entry') },
      applicant,
    );
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    drawDate = joined.body.entry.drawDate;
  }
  await new DrawRunner(sys.deps).run(OFFICE, drawDate);
  await sys.deps.lifecycle.fanout(OFFICE, drawDate);
});
afterAll(() => sys.stop());

describe("an entry's status", () => {
  it('is the same in the admin view of the account as in the applicant’s own list', async () => {
    const mine = await call(sys, 'GET', '/api/me/entries', undefined, applicant);
    const theirs = await call(sys, 'GET', `/api/admin/accounts/${accountId}`, undefined, admin);
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    const statusOf = (list: { ticket: string; status: string }[]) =>
      Object.fromEntries(list.map((e) => [e.ticket, e.status]));
    expect(Object.values(statusOf(mine.body.entries)).sort()).toEqual(['waitlisted', 'won']);
    expect(statusOf(theirs.body.entries)).toEqual(statusOf(mine.body.entries));
  });
});

describe('the calendar file', () => {
  it('escapes every line break of stored text, a lone CR included, and is never cached', async () => {
    // Written straight to the store: what the admin API refuses may still be in data written before.
    await sys.redis.client.hset(keys.office(OFFICE), 'address', 'Jl. Kecil 1\rRT 2\nRW 3\r\n\u0000Jakarta');
    await new Promise((r) => setTimeout(r, 2100)); // the office cache's lifetime
    const list = await call(sys, 'GET', '/api/me/appointments', undefined, applicant);
    const code = list.body.appointments[0].code as string;
    const res = await sys.app.request(`/api/me/appointments/${code}/ics`, { headers: applicant });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const ics = await res.text();
    // Every CR is part of a CRLF line ending and every LF follows a CR: no line was broken by the data.
    expect(ics).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(ics).not.toContain('\u0000');
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('LOCATION:Kantor Satu Kursi\\, Jl. Kecil 1\\nRT 2\\nRW 3\\nJakarta');
    expect(unfolded.split('\r\n').filter((l) => l.startsWith('LOCATION:'))).toHaveLength(1);
  });

  it('personal answers carry no-store, public ones do not', async () => {
    const list = await call(sys, 'GET', '/api/me/appointments', undefined, applicant);
    const code = list.body.appointments[0].code as string;
    const personal = [
      '/api/me',
      '/api/me/entries',
      '/api/me/persons',
      '/api/me/appointments',
      `/api/me/appointments/${code}/qr.svg`,
      '/api/me/messages',
    ];
    for (const path of personal) {
      const res = await sys.app.request(path, { headers: applicant });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    for (const path of [`/api/admin/accounts/${accountId}`, '/api/admin/flags', '/api/staff/me']) {
      const res = await sys.app.request(path, { headers: admin });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const sheet = await sys.app.request(`/api/officer/day-sheet?office=${OFFICE}`, { headers: admin });
    expect(sheet.headers.get('cache-control')).toBe('no-store');
    const login = await call(sys, 'POST', '/api/staff/login', { username: 'x', password: 'y' });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const verify = await call(sys, 'POST', '/api/auth/verify', { contact: 'a@example.com', code: '123456' });
    expect(verify.headers.get('cache-control')).toBe('no-store');
    // Public, identical for everyone: caching is left alone.
    expect((await sys.app.request('/api/offices')).headers.get('cache-control')).toBeNull();
  });
});
