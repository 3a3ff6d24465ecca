// The admin console's navigation, on a desktop and a 360 px phone: every admin capability is one click
// away (the tabs, the job queues, the counter, public verification, the API reference); the messages sent
// read as a table, not JSON; a flag's account is a link to that account; rules changes and the draw
// preview name sessions by their times, never `sessions.0.capacity` or "pagi-1". `FAIRSLOT_DOC_SHOTS=1`
// also writes docs/screenshots/admin-navigation.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { flagRecord } from '../../src/store/flags.ts';
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
let accountId = '';

beforeAll(async () => {
  web = await startWebSystem();
  const { sys } = web;
  await sys.deps.users.create({ username: 'kepala', role: 'admin', officeId: null }, PASSWORD);
  const headers = await signInApplicant(sys, '081277770001');
  accountId = (await sys.deps.accounts.accountIdForContact('+6281277770001'))!;
  const nik = exampleNik({ birthDate: '1979-05-05', sex: 'M', serial: 9 });
  const person = await call(
    sys,
    'POST',
    '/api/me/persons',
    { nik, name: 'Rudi Hartono', birthDate: '1979-05-05' },
    headers,
  );
  await call(
    sys,
    'POST',
    '/api/me/entries',
    { personId: person.body.person.id, officeId: OFFICE, prefs: ['pagi-1'], pow: await powFor(sys, 'entry') },
    headers,
  );
  await sys.deps.flags.add(flagRecord('nik_conflict', accountId, { personCount: 1 }, sys.clock.now));
  const current = (await sys.deps.offices.rules(OFFICE))!;
  const rules = structuredClone(current.rules);
  rules.sessions[0]!.capacity = 30;
  await sys.deps.offices.updateRules(OFFICE, rules, current.version, 'kepala', 'Pagi dikurangi');
  if (HAS_CHROMIUM) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${web.url}/admin`);
  await page.getByLabel('Nama pengguna').fill('kepala');
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByRole('tablist').waitFor();
}

describe.skipIf(!HAS_CHROMIUM)(
  `the admin console in Chromium${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`,
  () => {
    for (const [label, device] of [
      ['desktop', DESKTOP],
      ['360 px phone', PHONE],
    ] as const) {
      it(`one navigation reaches every admin capability (${label})`, async () => {
        const { page, problems, context } = await newPage(browser, device);
        await signIn(page);
        expect(await page.getByRole('tab').allTextContents()).toEqual([
          'Undian',
          'Statistik',
          'Aturan',
          'Riwayat aturan',
          'Data kantor',
          'Hari tutup',
          'Tanda penyalahgunaan',
          'Akun',
          'Pesan terkirim',
        ]);
        const nav = page.getByRole('navigation', { name: 'Halaman admin lainnya' });
        const links = await nav
          .getByRole('link')
          .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
        expect(links).toEqual([
          ['Antrean tugas', '/admin/queues'],
          ['Loket', '/officer'],
          ['Verifikasi publik', '/verify'],
          ['Referensi API', '/api/docs'],
        ]);
        for (const h of await nav
          .getByRole('link')
          .evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height)))
          expect(h).toBeGreaterThanOrEqual(24);
        if (device === DESKTOP) await docShot(page, 'admin-navigation', 390);
        await shotBoth(page, `admin-nav-${device === DESKTOP ? 'desktop' : 'phone'}`);
        // Each link leads somewhere real for the signed-in admin (the queue board is admin-only).
        for (const [, href] of links) {
          const res = await page.request.get(`${web.url}${href}`);
          expect(res.status(), href!).toBe(200);
        }
        expect(await (await page.request.get(`${web.url}/admin/queues`)).text()).toContain('fairslot queues');
        expect(problems).toEqual([]);
        await context.close();
      });
    }

    it('messages sent read as a table; a flag’s account links to the account and its delivery log', async () => {
      const { page, problems, context } = await newPage(browser, DESKTOP);
      await signIn(page);
      await page.getByRole('tab', { name: 'Pesan terkirim' }).click();
      const row = page.locator('#panel tbody tr').first();
      await row.getByText('Kode masuk', { exact: true }).waitFor();
      await row.getByText('SMS').waitFor();
      await row.getByText('(kode masuk, tidak ditampilkan)').waitFor();
      expect(await row.getByRole('link', { name: accountId }).getAttribute('href')).toBe(
        `/admin?tab=accounts&account=${accountId}`,
      );
      const panelText = (await page.locator('#panel').textContent()) ?? '';
      expect(panelText).not.toMatch(/[{}]|"template"|\d{6}/);
      expect(panelText).toContain('+62812****0001');
      await shotBoth(page, 'admin-messages');

      await page.getByRole('tab', { name: 'Tanda penyalahgunaan' }).click();
      const flag = page.locator('tbody tr', { hasText: 'NIK sudah dipakai akun lain' });
      await flag.getByRole('link', { name: accountId }).click();
      await page.getByRole('heading', { name: 'Akun pemohon' }).waitFor();
      expect(page.url()).toContain(`account=${accountId}`);
      const facts = page.locator('#account-facts');
      await facts.getByText('+62812****0001').waitFor();
      await page.getByRole('heading', { name: 'Orang (1)' }).waitFor();
      await page.locator('#account-body').getByText('Rudi Hartono').first().waitFor();
      await page.locator('#account-body').getByText('3174********0009').waitFor();
      await page.getByRole('heading', { name: 'Pendaftaran (1)' }).waitFor();
      await page.getByRole('heading', { name: /Pesan \(\d+\)/ }).waitFor();
      await page.locator('#account-body tbody').getByText('Kode masuk', { exact: true }).first().waitFor();
      await shotBoth(page, 'admin-account');
      // A mistyped ID is answered on the page.
      await page.getByLabel('ID akun').fill('nope');
      await page.getByRole('button', { name: 'Tampilkan' }).click();
      await page.getByText('ID akun terdiri dari 12 huruf kecil dan angka.').waitFor();
      expect(problems).toEqual([]);
      await context.close();
    });

    it('rules history and the draw preview name sessions by their times, in words', async () => {
      const { page, problems, context } = await newPage(browser, PHONE);
      await signIn(page);
      await page.getByLabel('Kantor', { exact: true }).selectOption(OFFICE);
      await page.getByRole('tab', { name: 'Riwayat aturan' }).click();
      const v2 = page.locator('li[data-version="2"]');
      await v2.getByText('Sesi 1 (08.00–10.00) · Kapasitas').waitFor();
      expect(await v2.locator('del').first().textContent()).toBe('50');
      expect(await v2.locator('ins').first().textContent()).toBe('30');
      expect(await v2.textContent()).not.toMatch(/sessions\.|pagi-/);
      await page.locator('#lang-toggle').click();
      await v2.getByText('Session 1 (08:00–10:00) · Capacity').waitFor();
      await page.locator('#lang-toggle').click();

      await page.getByRole('tab', { name: 'Undian' }).click();
      await page.getByRole('button', { name: 'Pratinjau' }).click();
      const preview = page.locator('#preview');
      await preview.getByText('08.00–10.00: 1').waitFor();
      expect(await preview.textContent()).not.toContain('pagi-');
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);
