// Input the outside attack run got accepted, through HTTP: implausible birth dates, names that are not
// names, office text with control characters, and a day sheet for a day that does not exist. Each is a 400
// that changes nothing; the honest forms of each are accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { isRateCounter, snapshot, snapshotDiff } from '../support/snapshot.ts';
import { call, signInApplicant, signInStaff, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let applicant: Record<string, string>;
let admin: Record<string, string>;
let serial = 0;

beforeAll(async () => {
  sys = await startTestSystem({ RATE_LIMIT_MULTIPLIER: '1000' });
  sys.clock.now = new Date('2026-11-30T01:00:00Z');
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
  applicant = await signInApplicant(sys, 'validation@example.com');
  admin = await signInStaff(sys, { username: 'val-admin', role: 'admin' });
});
afterAll(() => sys.stop());

const addPerson = (body: Record<string, unknown>) => call(sys, 'POST', '/api/me/persons', body, applicant);

function person(birthDate: string, name = 'Budi Santoso') {
  return { nik: exampleNik({ birthDate, sex: 'M', serial: ++serial }), name, birthDate };
}

/** Sends a request that must be refused with 400 and leave Redis exactly as it was. */
async function refusedUnchanged(send: () => Promise<{ status: number; body: any }>) {
  // Rate-limit counters count the request itself; nothing else may change.
  const before = await snapshot(sys.redis.client, isRateCounter);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(typeof res.body.error.code).toBe('string');
  expect(snapshotDiff(before, await snapshot(sys.redis.client, isRateCounter))).toEqual([]);
  return res;
}

describe('birth dates', () => {
  it('must agree with the NIK and be a date a living person can have', async () => {
    // A NIK carries only two year digits: 2030 and 1800 agree with theirs, and are still refused.
    for (const birthDate of ['2030-01-15', '1800-06-01', '1905-01-01', '2026-12-25']) {
      const r = await refusedUnchanged(() => addPerson(person(birthDate)));
      expect(r.body.error.fields[0].path).toBe('birthDate');
    }
    // A NIK whose encoded date is another day than the one stated.
    const other = { ...person('1990-03-15'), birthDate: '1990-03-16' };
    expect((await refusedUnchanged(() => addPerson(other))).body.error.code).toBe('nik_birth_date');
    // A newborn (today, anywhere in the country) and a centenarian are real applicants.
    expect((await addPerson(person('2026-11-30'))).status).toBe(201);
    expect((await addPerson(person('1920-02-29'))).status).toBe(201);
  });
});

describe('names', () => {
  it('are letters, NFC, of bounded length in graphemes', async () => {
    const refused = [
      '\u0301\u0301\u0301', // combining marks only
      `A${'\u0301'.repeat(99)}`, // one letter under 99 accents
      `Budi ${'\u0301'.repeat(5)}`, // accents with nothing to sit on
      '.. --', // punctuation only
      'B', // one letter
      'x'.repeat(81),
      'Budi\u0000Santoso',
      'Budi\r\nSantoso',
      '<script>alert(1)</script>',
    ];
    for (const name of refused) {
      const r = await refusedUnchanged(() => addPerson(person('1990-03-15', name)));
      expect(r.body.error.fields[0].path, JSON.stringify(name)).toBe('name');
    }
    // Decomposed input is stored composed: one name however the phone's keyboard spelled it.
    const composed = await addPerson(person('1991-04-16', 'Rene\u0301 Nguye\u0302\u0303n'));
    expect(composed.status).toBe(201);
    expect(composed.body.person.name).toBe('René Nguyễn');
    expect(composed.body.person.name).toBe(composed.body.person.name.normalize('NFC'));
    expect((await addPerson(person('1992-05-17', `${'é'.repeat(80)}`))).status).toBe(201);
    expect((await addPerson(person('1993-06-18', "Siti Nur'aini-Putri"))).status).toBe(201);
  });
});

describe('office text', () => {
  const office = (name: string, address = 'Jl. Merdeka 1, Jakarta') => ({
    office: { id: `val-${++serial}`, name, address, tz: 'Asia/Jakarta' },
  });

  it('refuses control characters and direction overrides in names and addresses', async () => {
    for (const bad of ['Kantor\rImigrasi', 'Kantor\u0000Imigrasi', 'Kantor\nBaru', 'Kantor\u202Eissaps']) {
      await refusedUnchanged(() => call(sys, 'POST', '/api/admin/offices', office(bad), admin));
      await refusedUnchanged(() =>
        call(sys, 'POST', '/api/admin/offices', office('Kantor Imigrasi', `Jl. A${bad}`), admin),
      );
      await refusedUnchanged(() => call(sys, 'PATCH', '/api/admin/offices/medan', { name: bad }, admin));
    }
  });

  it('shows HTML in a name as text, never as markup', async () => {
    const made = await call(sys, 'POST', '/api/admin/offices', office('<b>Kantor</b> & "Co"'), admin);
    expect(made.status).toBe(201);
    const res = await sys.app.request('/api/offices');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const listed = ((await res.json()) as { offices: { name: string }[] }).offices.map((o) => o.name);
    expect(listed).toContain('<b>Kantor</b> & "Co"');
    // The pages build the DOM from text nodes only: no HTML parsing of data anywhere in their source.
    const pages = await Promise.all(
      ['/', '/officer', '/admin', '/verify'].map(async (p) => (await sys.app.request(p)).text()),
    );
    for (const html of pages) {
      for (const src of html.match(/src="(\/build\/[\w-]+\.js[^"]*)"/g) ?? []) {
        const js = await (await sys.app.request(src.slice(5, -1))).text();
        expect(js).not.toMatch(/insertAdjacentHTML|outerHTML|document\.write/);
        // innerHTML appears once, for a constant SVG icon (public/src/officer.ts).
        expect((js.match(/\.innerHTML\s*=/g) ?? []).length).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('the officer day sheet', () => {
  it('takes only dates that exist', async () => {
    for (const date of ['2026-02-30', '2026-13-01', '2026-00-10', '2025-02-29', '2026-1-1', "2026-01-01'"]) {
      const r = await call(
        sys,
        'GET',
        `/api/officer/day-sheet?office=medan&date=${encodeURIComponent(date)}`,
        undefined,
        admin,
      );
      expect(r.status, date).toBe(400);
    }
    for (const date of ['2026-02-28', '2028-02-29']) {
      const r = await call(sys, 'GET', `/api/officer/day-sheet?office=medan&date=${date}`, undefined, admin);
      expect(r.status, date).toBe(200);
    }
  });
});
