// A family enters a draw together on a 360 px phone, in Indonesian: the page marks the children (under 17
// on the appointment day), refuses a child alone and says why, then enters mother and children as one group.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { outbox } from '../support/system.ts';
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

const CONTACT = '0812 7777 1234';
const CONTACT_E164 = '+6281277771234';
const FAMILY = [
  { name: 'Rina Wulandari', birthDate: '1987-05-12', sex: 'F' as const, serial: 41 },
  { name: 'Bayu Pratama', birthDate: '2015-02-03', sex: 'M' as const, serial: 42 },
  { name: 'Intan Permata', birthDate: '2019-10-21', sex: 'F' as const, serial: 43 },
];

let web: WebSystem;
let browser: Browser;
let page: Page;
let problems: string[];

describe.skipIf(!HAS_CHROMIUM)(`a family enters together${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    web = await startWebSystem();
    browser = await launchBrowser();
    ({ page, problems } = await newPage(browser, PHONE));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('signs in and adds a mother and two children', async () => {
    await page.goto(`${web.url}/`);
    await page.locator('.pow[data-phase="ready"]').waitFor();
    await page.getByLabel('Nomor HP atau email').fill(CONTACT);
    await page.getByRole('button', { name: 'Kirim kode' }).click();
    await page.getByLabel('Kode 6 angka').waitFor();
    await expect.poll(() => outbox(web.sys).filter((m) => m.to === CONTACT_E164).length).toBe(1);
    const code = /(\d{6})/.exec(outbox(web.sys).find((m) => m.to === CONTACT_E164)!.text)![1]!;
    await page.getByLabel('Kode 6 angka').fill(code);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByRole('heading', { name: 'Status pendaftaran' }).waitFor();
    for (const p of FAMILY) {
      // After the first person the form folds away under its summary.
      const nik = page.getByLabel('NIK (16 angka');
      if (!(await nik.isVisible())) await page.getByText('Tambah orang', { exact: true }).click();
      await nik.fill(exampleNik(p));
      await page.getByLabel('Nama lengkap sesuai KTP').fill(p.name);
      await page.getByLabel('Tanggal lahir').fill(p.birthDate);
      await page.getByRole('button', { name: 'Tambahkan' }).click();
      await page.getByText(`${p.name} sudah ditambahkan.`).waitFor();
    }
  });

  it('marks the children, refuses a child alone and says why', async () => {
    await page.getByLabel('Kantor imigrasi').selectOption('jakarta-selatan');
    const who = page.locator('fieldset.who');
    await who.getByText('Di bawah 17 tahun pada hari janji: hanya bersama orang dewasa').first().waitFor();
    expect(await who.getByText('Di bawah 17 tahun').count()).toBe(2);
    const box = (name: string) => who.getByRole('checkbox', { name: new RegExp(name) });
    // The mother is ticked first; untick her and tick only the son.
    expect(await box('Rina Wulandari').isChecked()).toBe(true);
    await box('Rina Wulandari').uncheck();
    await box('Bayu Pratama').check();
    await who.getByText('Anak di bawah 17 tahun hanya bisa mendaftar bersama orang dewasa').waitFor();
    await page.getByRole('button', { name: 'Ikut undian' }).click();
    await page.locator('#join-form').getByText('Centang juga orang dewasa').first().waitFor();
    const accountId = (await web.sys.deps.accounts.accountIdForContact(CONTACT_E164))!;
    expect(await web.sys.deps.entries.forAccount(accountId)).toHaveLength(0);
    await shot(page, 'applicant-family-child-alone-360');
  });

  it('enters mother and children as one group, seated together if they win', async () => {
    const who = page.locator('fieldset.who');
    await who.getByRole('checkbox', { name: /Rina Wulandari/ }).check();
    await who.getByRole('checkbox', { name: /Intan Permata/ }).check();
    await page.getByRole('button', { name: 'Ikut undian' }).click();
    await page.getByText(/Terdaftar bersama: 3 orang, tiket/).waitFor();
    const accountId = (await web.sys.deps.accounts.accountIdForContact(CONTACT_E164))!;
    const entries = await web.sys.deps.entries.forAccount(accountId);
    expect(entries).toHaveLength(3);
    expect(new Set(entries.map((e) => e.ticket.slice(0, 11))).size).toBe(1);
    // Entered persons are marked and cannot be ticked again.
    await who.locator('.why-not').first().waitFor();
    expect(await who.getByRole('checkbox', { name: /Rina Wulandari/ }).isDisabled()).toBe(true);
    // Nothing scrolls sideways at 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(page, 'applicant-family-entered-360');
    expect(problems).toEqual([]);
  });

  it('staff see the three as one family in the account’s entries (360 px)', async () => {
    await web.sys.deps.users.create(
      { username: 'kepala', role: 'admin', officeId: null },
      'kata sandi rahasia panjang',
    );
    const accountId = (await web.sys.deps.accounts.accountIdForContact(CONTACT_E164))!;
    const staff = await newPage(browser, PHONE);
    await staff.page.goto(`${web.url}/admin`);
    await staff.page.getByLabel('Nama pengguna').fill('kepala');
    await staff.page.getByLabel('Kata sandi').fill('kata sandi rahasia panjang');
    await staff.page.getByRole('button', { name: 'Masuk' }).click();
    await staff.page.getByRole('tablist').waitFor();
    await staff.page.goto(`${web.url}/admin?tab=accounts&account=${accountId}`);
    await staff.page.getByRole('heading', { name: 'Pendaftaran (3)' }).waitFor();
    const rows = staff.page.locator('#account-body tbody tr', { hasText: 'keluarga 3 orang' });
    await expect.poll(() => rows.count()).toBe(3);
    expect(await staff.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(staff.page, 'admin-account-family-360');
    expect(staff.problems).toEqual([]);
    await staff.context.close();
  });
});
