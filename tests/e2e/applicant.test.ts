// The applicant page on a 360 px phone and a desktop: the code step survives a reload; the join form
// says who can enter and why the others cannot; message times are right between 00:00 and 07:00 WIB and
// say "SMS", not the server's channel; the appointment says what to bring; the links people tap are at
// least 24 px (WCAG 2.2 AA 2.5.8).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { call, outbox, powFor, signInApplicant } from '../support/system.ts';
import {
  DESKTOP,
  HAS_CHROMIUM,
  launchBrowser,
  newPage,
  PHONE,
  SKIP_REASON,
  shotBoth,
  startWebSystem,
  type WebSystem,
} from './support.ts';

const CONTACT = '0812 5555 0101';
const E164 = '+6281255550101';
const OFFICE = 'jakarta-selatan';
/** Tuesday 01:30 WIB: the UTC date is still Monday the 30th. */
const NIGHT = new Date('2026-11-30T18:30:00Z');
let web: WebSystem;
let browser: Browser;
let phone: { context: BrowserContext; page: Page; problems: string[] };
const persons: { id: string; name: string }[] = [];

beforeAll(async () => {
  web = await startWebSystem();
  web.sys.clock.now = NIGHT;
  if (HAS_CHROMIUM) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function linkHeights(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
}

describe.skipIf(!HAS_CHROMIUM)(
  `the applicant page in Chromium${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`,
  () => {
    it('keeps the code step across a reload, without ever storing the code', async () => {
      phone = await newPage(browser, PHONE);
      const { page } = phone;
      await page.goto(`${web.url}/`);
      await page.locator('.pow[data-phase="ready"]').waitFor();
      await page.getByLabel('Nomor HP atau email').fill(CONTACT);
      await page.getByRole('button', { name: 'Kirim kode' }).click();
      await page.getByLabel('Kode 6 angka').waitFor();
      await expect.poll(() => outbox(web.sys).filter((m) => m.to === E164).length).toBe(1);
      const code = /(\d{6})/.exec(outbox(web.sys).find((m) => m.to === E164)!.text)![1]!;

      // The phone drops the tab while the applicant reads the SMS.
      await page.reload();
      await page.getByLabel('Kode 6 angka').waitFor();
      await page.getByText(`Kode sudah dikirim ke ${CONTACT}`).waitFor();
      expect(await page.locator('#contact-form').isHidden()).toBe(true);
      const stored = await page.evaluate(() => sessionStorage.getItem('fairslot.codeStep'));
      expect(stored).toContain(CONTACT);
      expect(stored).not.toContain(code);
      expect(stored).not.toMatch(/"code"/);

      await page.getByLabel('Kode 6 angka').fill(code);
      await page.getByRole('button', { name: 'Masuk', exact: true }).click();
      await page.getByRole('heading', { name: 'Status pendaftaran' }).waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('fairslot.codeStep'))).toBeNull();
      // Signed out, a reload starts at the contact step again.
      await page.getByRole('button', { name: 'Keluar' }).click();
      await page.reload();
      await page.getByLabel('Nomor HP atau email').waitFor();
      expect(await page.locator('#code-form').isHidden()).toBe(true);
    });

    it('the join form shows who can enter and why the others cannot, and never pre-selects them', async () => {
      const { sys } = web;
      const headers = await signInApplicant(sys, CONTACT, '10.0.0.9');
      for (const [name, birthDate, serial] of [
        ['Ahmad Fauzi', '1984-02-11', 1],
        ['Dewi Lestari', '1990-09-23', 2],
      ] as const) {
        const nik = exampleNik({ birthDate, sex: serial === 1 ? 'M' : 'F', serial });
        const r = await call(sys, 'POST', '/api/me/persons', { nik, name, birthDate }, headers);
        persons.push({ id: r.body.person.id, name });
      }
      const entered = await call(
        sys,
        'POST',
        '/api/me/entries',
        { personId: persons[0]!.id, officeId: OFFICE, prefs: 'any', pow: await powFor(sys, 'entry') },
        headers,
      );
      expect(entered.status).toBe(201);

      const { page } = phone;
      await page.getByLabel('Nomor HP atau email').fill(CONTACT);
      await page.getByRole('button', { name: 'Kirim kode' }).click();
      await expect.poll(() => outbox(web.sys).filter((m) => m.to === E164).length).toBe(3);
      const code = /(\d{6})/.exec(
        outbox(web.sys)
          .filter((m) => m.to === E164)
          .at(-1)!.text,
      )![1]!;
      await page.getByLabel('Kode 6 angka').fill(code);
      await page.getByRole('button', { name: 'Masuk', exact: true }).click();

      const ahmad = page.locator(`#join label[data-person="${persons[0]!.id}"]`);
      const dewi = page.locator(`#join label[data-person="${persons[1]!.id}"]`);
      await ahmad.getByText('sudah ikut undian Jakarta Selatan untuk Kam, 3 Des 2026').waitFor();
      expect(await ahmad.locator('input').isDisabled()).toBe(true);
      expect(await ahmad.locator('input').isChecked()).toBe(false);
      expect(await dewi.locator('input').isChecked()).toBe(true);
      expect(await dewi.locator('.why-not').count()).toBe(0);
      await shotBoth(page, 'applicant-join-eligibility');

      await page.getByLabel('Kantor imigrasi').selectOption(OFFICE);
      await page.getByRole('button', { name: 'Ikut undian' }).click();
      await page.getByText(/Terdaftar\. Tiket/).waitFor();
      await dewi.getByText('sudah ikut undian Jakarta Selatan untuk Kam, 3 Des 2026').waitFor();
      await page
        .getByText('Semua orang di akun ini masih punya pendaftaran atau jadwal yang berjalan.', {
          exact: false,
        })
        .waitFor();
      expect(await page.locator('#join-submit').isDisabled()).toBe(true);
      expect(await page.locator('#join input[name=person]:checked').count()).toBe(0);
    });

    it('message times are the office’s, also between 00:00 and 07:00 WIB, and say SMS', async () => {
      const { page } = phone;
      await page.reload();
      const messages = page.locator('#messages');
      await messages.locator('summary').click();
      const first = messages.locator('li').first();
      // Sent at 01:30 WIB on Tuesday 1 December: the UTC string says Monday 30 November.
      await first.getByText('Sel, 1 Des 2026, 01.30 WIB').waitFor();
      const text = (await messages.textContent()) ?? '';
      expect(text).toContain('· SMS');
      expect(text).not.toMatch(/outbox|30 Nov/);
    });

    it('an appointment says what to bring, and its links are big enough to tap (phone and desktop)', async () => {
      const { sys } = web;
      await sys.deps.drawControl.runNow(OFFICE, '2026-12-01');
      for (let i = 0; i < 100 && (await sys.deps.appointments.forDay(OFFICE, '2026-12-03')).length < 2; i++)
        await new Promise((r) => setTimeout(r, 100));
      const { page, context, problems } = phone;
      await page.reload();
      const appt = page.locator('#appointments li.entry').first();
      await appt.getByRole('button', { name: 'Konfirmasi kedatangan' }).click();
      await page.getByText('Jadwal dikonfirmasi.').waitFor();
      const bring = page.locator('#appointments li.entry').first().locator('.bring');
      await bring.getByText('Yang dibawa ke kantor').waitFor();
      await bring.getByText('KTP asli (KTP elektronik)').waitFor();
      // The same words as the confirmation SMS.
      await expect
        .poll(() => outbox(sys).some((m) => m.to === E164 && /Bawa KTP asli/.test(m.text)))
        .toBe(true);
      // A person with an appointment cannot enter again, and the form says so.
      await page
        .locator(`#join label[data-person="${persons[0]!.id}"]`)
        .getByText(/sudah punya jadwal di Jakarta Selatan pada Kam, 3 Des 2026|ada di daftar tunggu/)
        .waitFor();
      await shotBoth(page, 'applicant-bring');

      for (const device of [PHONE, DESKTOP]) {
        const view =
          device === PHONE
            ? page
            : await (async () => {
                const desk = await browser.newContext({
                  ...DESKTOP,
                  storageState: await context.storageState(),
                });
                const p = await desk.newPage();
                await p.goto(`${web.url}/`);
                await p.locator('#appointments .bring').first().waitFor();
                return p;
              })();
        const heights = [
          ...(await linkHeights(view, '#appointments a[href$="/ics"]')),
          ...(await linkHeights(view, '#entries a[href^="/verify"]')),
          ...(await linkHeights(view, '#foot a')),
        ];
        expect(heights.length).toBeGreaterThanOrEqual(3);
        for (const h of heights) expect(h).toBeGreaterThanOrEqual(24);
        if (view !== page) await view.context().close();
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);
