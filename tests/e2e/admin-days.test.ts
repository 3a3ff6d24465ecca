// Closing a day and loading the national list from the admin console, on a 360 px phone.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

beforeAll(async () => {
  web = await startWebSystem();
  await web.sys.deps.users.create({ username: 'kepala2', role: 'admin', officeId: null }, PASSWORD);
  if (HAS_CHROMIUM) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${web.url}/admin?office=${OFFICE}&tab=days`);
  await page.getByLabel('Nama pengguna').fill('kepala2');
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByRole('tablist').waitFor();
}

describe.skipIf(!HAS_CHROMIUM)(`closed days in the console${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`, () => {
  it('an admin closes a day with a reason and loads the 2026 national list (360 px)', async () => {
    const { page, problems, context } = await newPage(browser, PHONE);
    await signIn(page);
    await page.getByRole('tab', { name: 'Hari tutup' }).click();
    await page.getByLabel('Tanggal').fill('2026-12-04');
    await page.getByRole('button', { name: 'Tutup hari itu' }).click();
    await page
      .getByText(/reason|alasan|String must contain|too small|Too small/i)
      .first()
      .waitFor();
    expect(await web.sys.deps.closedDays.closings(OFFICE)).toEqual([]);
    await page.getByLabel('Alasan (ditampilkan ke pemohon)').fill('Pemadaman listrik');
    await page.getByRole('button', { name: 'Tutup hari itu' }).click();
    await page
      .locator('#close-day-status')
      .getByText(/ditutup: 0 dipindah/)
      .waitFor();
    await page.getByRole('cell', { name: 'Pemadaman listrik' }).waitFor();
    const file = path.resolve('holidays/id-2026.json');
    const list: { days: { date: string; name: string; kind: string }[] } = JSON.parse(
      readFileSync(file, 'utf8'),
    );
    // Christmas Eve's collective leave, under the decree's own name, shown with its kind.
    const eve = list.days.find((d) => d.date === '2026-12-24' && d.kind === 'collective_leave')!;
    expect(eve).toBeDefined();
    await page.getByLabel('Daftar libur (JSON)').setInputFiles(file);
    await page.getByRole('button', { name: 'Muat daftar' }).click();
    await page.getByText('2026: 25 hari dimuat (25 baru, 0 dihapus).').waitFor();
    await page.getByText(`${eve.name} (cuti bersama)`, { exact: true }).waitFor();
    await shot(page, 'admin-closed-days-360');
    expect((await web.sys.deps.closedDays.closings(OFFICE))[0]).toMatchObject({
      date: '2026-12-04',
      reason: 'Pemadaman listrik',
      by: 'kepala2',
    });
    expect(problems.filter((p) => !p.includes('400'))).toEqual([]);
    await context.close();
  });
});
