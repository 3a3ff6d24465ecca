// The counter in a real browser, on a 360 px phone and on a desktop: look up a code (name, masked NIK,
// session, priority claim), confirm the arrival, undo it, and the refusals that tell the officer what to say
// (the day of the appointment, when check-in opens). `FAIRSLOT_DOC_SHOTS=1` also writes the screenshots
// of docs/screenshots/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { call, powFor, signInApplicant } from '../support/system.ts';
import {
  DESKTOP,
  docShot,
  HAS_CHROMIUM,
  launchBrowser,
  newPage,
  PHONE,
  SKIP_REASON,
  shotBoth,
  startWebSystem,
  type WebSystem,
} from './support.ts';

const PASSWORD = 'correct horse battery staple';
const OFFICE = 'jakarta-selatan';
let web: WebSystem;
let browser: Browser;
let code = '';
/** The session's start as an instant (the draw picks the session). */
let start = 0;

beforeAll(async () => {
  web = await startWebSystem();
  const { sys } = web;
  await sys.deps.users.create({ username: 'loket', role: 'officer', officeId: OFFICE }, PASSWORD);
  const headers = await signInApplicant(sys, '081298765432');
  const person = await call(
    sys,
    'POST',
    '/api/me/persons',
    {
      nik: exampleNik({ birthDate: '1958-01-21', sex: 'F', serial: 4 }),
      name: 'Sri Wahyuni',
      birthDate: '1958-01-21',
      // 60+: priority by age, from the NIK's birth date
      category: null,
    },
    headers,
  );
  const personId = person.body.person.id;
  const entry = await call(
    sys,
    'POST',
    '/api/me/entries',
    { personId, officeId: OFFICE, prefs: ['pagi-1'], pow: await powFor(sys, 'entry') },
    headers,
  );
  expect(entry.status).toBe(201);
  await sys.deps.drawControl.runNow(OFFICE, '2026-11-30');
  // The workers make the offer after the draw: wait for it.
  for (let i = 0; i < 100 && (await sys.deps.appointments.forDay(OFFICE, '2026-12-02')).length === 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  const [a] = await sys.deps.appointments.forDay(OFFICE, '2026-12-02');
  code = a!.code;
  expect(a!.sessionId).toBe('pagi-1');
  start = Date.parse('2026-12-02T01:00:00Z'); // 08:00 WIB
  expect((await call(sys, 'POST', `/api/me/appointments/${code}/confirm`, {}, headers)).status).toBe(200);
  if (HAS_CHROMIUM) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${web.url}/officer`);
  await page.getByLabel('Nama pengguna').fill('loket');
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByText('Sesi hari ini').waitFor();
}

async function lookUp(page: Page, typed: string): Promise<void> {
  const field = page.getByLabel('Kode booking');
  await field.fill(typed);
  await field.press('Enter');
}

describe.skipIf(!HAS_CHROMIUM)(`the counter in Chromium${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`, () => {
  for (const [label, device] of [
    ['360 px phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`refusals say what to tell the applicant (${label})`, async () => {
      const { page, problems, context } = await newPage(browser, device);
      // Tuesday: the appointment is tomorrow, and the page says which day.
      web.sys.clock.now = new Date(start - 86_400_000);
      await signIn(page);
      await lookUp(page, code);
      const error = page.locator('.checkin-result.error');
      await error
        .getByText(
          'Jadwal ini untuk Rabu, 2 Desember 2026, bukan hari ini. Minta pemohon datang kembali pada tanggal itu.',
        )
        .waitFor();
      // Wednesday 06:30 WIB: too early for the 08:00 session; check-in opens at 07:00.
      web.sys.clock.now = new Date(start - 90 * 60_000);
      await lookUp(page, code);
      await error
        .getByText(
          'Terlalu awal: pencatatan kedatangan untuk sesi ini dibuka pukul 07.00 WIB (sesi mulai 08.00 WIB).',
        )
        .waitFor();
      await page.locator('#lang-toggle').click();
      await error
        .getByText(
          'Too early: check-in for this session opens at 07:00 WIB (the session starts at 08:00 WIB).',
        )
        .waitFor();
      await page.locator('#lang-toggle').click();
      expect(await page.getByRole('button', { name: 'Konfirmasi kedatangan' }).count()).toBe(0);
      expect((await web.sys.deps.appointments.byCode(code))!.state).toBe('confirmed');
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`look up, compare with the KTP, confirm arrival, undo (${label})`, async () => {
      const { page, problems, context } = await newPage(browser, device);
      web.sys.clock.now = new Date(start - 20 * 60_000); // 07:40 WIB
      await signIn(page);
      const wide = device === DESKTOP;
      // Lower case with a space, as officers type it: the server normalises the code.
      await lookUp(page, code.toLowerCase().replace(/^(.{5})/, '$1 '));
      const card = page.getByRole('group', { name: 'Periksa KTP' });
      await card.getByText('Sri Wahyuni').waitFor();
      await card.getByText(/^3174\*+0004$/).waitFor();
      await card.getByText('Rabu, 2 Desember 2026').waitFor();
      await card.getByText('08.00–10.00 WIB').waitFor();
      await card.getByText('Lanjut usia (60+)').waitFor();
      await card.getByText('Berdasarkan usia dari NIK: cocokkan tanggal lahir di KTP.').waitFor();
      // Nothing is recorded by the look-up; Enter on the focused button confirms.
      expect((await web.sys.deps.appointments.byCode(code))!.state).toBe('confirmed');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-arrival');
      if (wide) await docShot(page, 'officer-1-lookup');
      await shotBoth(page, `officer-lookup-${wide ? 'desktop' : 'phone'}`);
      await page.keyboard.press('Enter');
      const ok = page.locator('#checked-in');
      await ok.getByText('Kedatangan tercatat pukul 07.40 WIB').waitFor();
      await ok.getByText('bisa sampai pukul 07.45 WIB').waitFor();
      expect((await web.sys.deps.appointments.byCode(code))!.state).toBe('checked_in');
      await page
        .locator('li[data-session="pagi-1"]')
        .getByText(/hadir 1/)
        .waitFor();
      if (wide) await docShot(page, 'officer-2-confirmed');
      // The focus is back in the code field for the next person in the queue.
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('code');
      await page.getByRole('button', { name: 'Batalkan pencatatan' }).click();
      await page
        .getByText('Pencatatan kedatangan Sri Wahyuni dibatalkan. Jadwalnya kembali terkonfirmasi.')
        .waitFor();
      const a = (await web.sys.deps.appointments.byCode(code))!;
      expect(a.state).toBe('confirmed');
      expect(a.history.at(-1)!.cause).toBe('check-in undone by loket');
      await page
        .locator('li[data-session="pagi-1"]')
        .getByText(/hadir 0/)
        .waitFor();
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('five minutes later an undo is refused with the time it was possible until', async () => {
    const { page, problems, context } = await newPage(browser, PHONE);
    web.sys.clock.now = new Date(start - 10 * 60_000);
    await signIn(page);
    await lookUp(page, code);
    await page.getByRole('button', { name: 'Konfirmasi kedatangan' }).click();
    await page.locator('#checked-in').waitFor();
    web.sys.clock.now = new Date(start - 4 * 60_000);
    // The page's own clock has not moved: the button is still there, and the server's answer is shown.
    await page.getByRole('button', { name: 'Batalkan pencatatan' }).click();
    await page.getByText('Pencatatan ini tidak bisa dibatalkan lagi (batasnya pukul 07.55 WIB).').waitFor();
    expect((await web.sys.deps.appointments.byCode(code))!.state).toBe('checked_in');
    await lookUp(page, code);
    await page.getByText('Kode ini sudah dipakai: kedatangan tercatat pukul 07.50 WIB.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
