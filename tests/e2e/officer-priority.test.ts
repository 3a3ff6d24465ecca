// The officer's priority check in a real browser at 360 px: a claimed category shows the document to ask
// for and two ways to confirm; "no document" checks the person in, takes the claim off and says so.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { keys } from '../../src/redis/keys.ts';
import { call, powFor, signInApplicant } from '../support/system.ts';
import {
  HAS_CHROMIUM,
  launchBrowser,
  newPage,
  PHONE,
  SKIP_REASON,
  shot,
  startWebSystem,
  type WebSystem,
} from './support.ts';

const PASSWORD = 'correct horse battery staple';
const OFFICE = 'jakarta-selatan';
let web: WebSystem;
let browser: Browser;
const codes: Record<string, string> = {};
const people: Record<string, { accountId: string; personId: string }> = {};
const start = Date.parse('2026-12-02T01:00:00Z'); // Wednesday 08:00 WIB

async function enter(contact: string, name: string, serial: number, category: string) {
  const { sys } = web;
  const headers = await signInApplicant(sys, contact);
  const birthDate = `1992-04-1${serial}`;
  const person = await call(
    sys,
    'POST',
    '/api/me/persons',
    { nik: exampleNik({ birthDate, sex: 'F', serial }), name, birthDate, category },
    headers,
  );
  expect(person.status).toBe(201);
  const personId = person.body.person.id;
  const entry = await call(
    sys,
    'POST',
    '/api/me/entries',
    { personId, officeId: OFFICE, prefs: ['pagi-1'], pow: await powFor(sys, 'entry') },
    headers,
  );
  expect(entry.status).toBe(201);
  return { headers, personId };
}

beforeAll(async () => {
  web = await startWebSystem();
  const { sys } = web;
  await sys.deps.users.create({ username: 'loket2', role: 'officer', officeId: OFFICE }, PASSWORD);
  const dewi = await enter('081298700001', 'Dewi Lestari', 1, 'ibu-anak');
  const rina = await enter('081298700002', 'Rina Marlina', 2, 'disabilitas');
  await sys.deps.drawControl.runNow(OFFICE, '2026-11-30');
  for (let i = 0; i < 100 && (await sys.deps.appointments.forDay(OFFICE, '2026-12-02')).length < 2; i++)
    await new Promise((r) => setTimeout(r, 100));
  for (const [name, who] of [
    ['dewi', dewi],
    ['rina', rina],
  ] as const) {
    const a = (await sys.deps.appointments.forDay(OFFICE, '2026-12-02')).find(
      (x) => x.personId === who.personId,
    )!;
    codes[name] = a.code;
    people[name] = { accountId: a.accountId, personId: a.personId };
    expect((await call(sys, 'POST', `/api/me/appointments/${a.code}/confirm`, {}, who.headers)).status).toBe(
      200,
    );
  }
  if (HAS_CHROMIUM) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${web.url}/officer`);
  await page.getByLabel('Nama pengguna').fill('loket2');
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByText('Sesi hari ini').waitFor();
}

async function lookUp(page: Page, code: string) {
  const field = page.getByLabel('Kode booking');
  await field.fill(code);
  await field.press('Enter');
  return page.getByRole('group', { name: 'Periksa KTP' });
}

describe.skipIf(!HAS_CHROMIUM)(
  `the priority check at the counter${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`,
  () => {
    it('a claim shows its document; "no document" checks in without priority, and undo restores it (360 px)', async () => {
      const { page, problems, context } = await newPage(browser, PHONE);
      web.sys.clock.now = new Date(start - 20 * 60_000);
      await signIn(page);
      const card = await lookUp(page, codes.dewi!);
      await card.getByText('Ibu hamil / anak balita').waitFor();
      await card.getByText(/Minta: Buku KIA/).waitFor();
      await card.getByText(/prioritas dicabut untuk undian berikutnya/).waitFor();
      // No single "confirm" for a claim: the officer has to say whether the document was shown.
      expect(await page.locator('#confirm-arrival').count()).toBe(0);
      const notSeen = page.getByRole('button', { name: 'Dokumen tidak ada – konfirmasi tanpa prioritas' });
      const box = await notSeen.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(360);
      await shot(page, 'officer-priority-lookup-360');
      await notSeen.click();
      const done = page.locator('#checked-in');
      await done.getByText('Dokumen tidak ada: prioritas dicabut, pelanggaran dicatat.').waitFor();
      await shot(page, 'officer-priority-not-seen-360');
      const a = (await web.sys.deps.appointments.byCode(codes.dewi!))!;
      expect(a.state).toBe('checked_in');
      const person = (await web.sys.deps.accounts.person(people.dewi!.accountId, people.dewi!.personId))!;
      expect(person.category).toBeNull();
      expect(await web.sys.redis.client.zcard(keys.nikStrikes(a.nikHash))).toBe(1);
      // A wrong "no document" is taken back whole: the claim and the strike return.
      await page.locator('#undo-checkin').click();
      await page.getByText('Prioritas dan pelanggaran dipulihkan; pemohon diberi tahu.').waitFor();
      await shot(page, 'officer-priority-undone-360');
      expect((await web.sys.deps.appointments.byCode(codes.dewi!))!.state).toBe('confirmed');
      const back = (await web.sys.deps.accounts.person(people.dewi!.accountId, people.dewi!.personId))!;
      expect(back.category).not.toBeNull();
      expect(await web.sys.redis.client.zcard(keys.nikStrikes(a.nikHash))).toBe(0);
      expect(problems).toEqual([]);
      await context.close();
    });

    it('"document seen" keeps the claim (360 px, English)', async () => {
      const { page, problems, context } = await newPage(browser, PHONE);
      await signIn(page);
      await page.locator('#lang-toggle').click();
      const field = page.getByLabel('Booking code');
      await field.fill(codes.rina!);
      await field.press('Enter');
      const card = page.getByRole('group', { name: 'Check the ID card' });
      await card.getByText(/Ask for: Kartu Penyandang Disabilitas/).waitFor();
      await page.getByRole('button', { name: 'Document seen – confirm arrival' }).click();
      await page.locator('#checked-in').getByText('Document seen.').waitFor();
      const person = (await web.sys.deps.accounts.person(people.rina!.accountId, people.rina!.personId))!;
      expect(person.category).toBe('disabilitas');
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);
