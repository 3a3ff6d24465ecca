// The pages in a real browser: an applicant on a 360 px phone signs in, adds a person, enters a draw;
// an admin adds public entropy and runs the draw; the applicant sees the result; anyone verifies it on
// /verify; an officer checks the applicant in with the camera; the admin creates an office and reads the
// figures of the day as charts. Screenshots of every page at 360 and 1280 px go to
// test-artifacts/screenshots/.
import http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleNik } from '../../src/domain/nik.ts';
import { flagRecord } from '../../src/store/flags.ts';
import { call, outbox, powFor, signInApplicant } from '../support/system.ts';
import {
  DESKTOP,
  HAS_CHROMIUM,
  launchBrowser,
  newPage,
  PHONE,
  SKIP_REASON,
  shot,
  shotBoth,
  startWebSystem,
  type WebSystem,
} from './support.ts';

const CONTACT = '0812 3456 7890';
const CONTACT_E164 = '+6281234567890';
const PASSWORD = 'correct horse battery staple';
const NIK = exampleNik({ birthDate: '1990-08-17', sex: 'F', serial: 7 });

/** Wrong passwords for `username` from this process until the server throttles the name (429). */
async function throttleUsername(url: string, username: string): Promise<Response> {
  for (let i = 0; i < 40; i++) {
    const res = await fetch(`${url}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'not the password at all' }),
    });
    if (res.status === 429) return res;
    expect(res.status).toBe(401);
  }
  throw new Error(`${username} was never throttled`);
}

function wireBytes(url: string, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
        let n = 0;
        res.on('data', (chunk: Buffer) => {
          n += chunk.length;
        });
        res.on('end', () => resolve(n));
      })
      .on('error', reject);
  });
}

let web: WebSystem;
let browser: Browser;
let applicant: Page;
let applicantProblems: string[];
let admin: Page;
let adminProblems: string[];
let ticket = '';
let bookingCode = '';

if (!HAS_CHROMIUM) console.warn(`e2e browser tests ${SKIP_REASON}`);

beforeAll(async () => {
  web = await startWebSystem();
});
afterAll(async () => {
  await web?.stop();
});

describe('the pages over HTTP', () => {
  it('serves the pages with the CSP, compressed and cache-busted, without shadowing the API', async () => {
    const res = await fetch(`${web.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const src = /src="(\/build\/applicant\.js\?v=\w+)"/.exec(html)?.[1];
    expect(src).toBeTruthy();
    const js = await fetch(`${web.url}${src}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('cache-control')).toContain('immutable');
    // The budget is 100 KB gzipped. fetch() would inflate the body, so count the bytes on the wire.
    const size = await wireBytes(`${web.url}${src}`, 'gzip');
    console.log(`applicant bundle: ${(size / 1024).toFixed(1)} KB gzipped`);
    expect(size).toBeLessThan(100 * 1024);
    expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${web.url}/api/nope`)).status).toBe(404);
    expect((await (await fetch(`${web.url}/api/offices`)).json()).offices.length).toBeGreaterThan(0);
  });

  it('answers a repeat visit with 304 and every page names only files that exist', async () => {
    for (const path of ['/', '/officer', '/admin', '/verify']) {
      const res = await fetch(`${web.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const again = await fetch(`${web.url}${path}`, {
        headers: { 'if-none-match': res.headers.get('etag')! },
      });
      expect(again.status).toBe(304);
      const html = await res.text();
      for (const [, src] of html.matchAll(/(?:src|href)="(\/(?:build|app)[^"]+)"/g)) {
        expect((await fetch(`${web.url}${src}`)).status, src).toBe(200);
      }
    }
    expect((await fetch(`${web.url}/build/nope.js`)).status).toBe(404);
  });
});

describe.skipIf(!HAS_CHROMIUM)(`the pages in Chromium${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    await web.sys.deps.users.create({ username: 'admin', role: 'admin', officeId: null }, PASSWORD);
    await web.sys.deps.users.create(
      { username: 'petugas', role: 'officer', officeId: 'jakarta-selatan' },
      PASSWORD,
    );
    ({ page: applicant, problems: applicantProblems } = await newPage(browser, PHONE));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('an applicant on a phone signs in with a code, in Indonesian by default', async () => {
    const page = applicant;
    await page.goto(`${web.url}/`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('id');
    await page.getByRole('heading', { name: 'Masuk' }).waitFor();
    await page.locator('.pow[data-phase="ready"]').waitFor();
    await shotBoth(page, 'applicant-signin');

    await page.getByLabel('Nomor HP atau email').fill(CONTACT);
    await page.getByRole('button', { name: 'Kirim kode' }).click();
    await page.getByLabel('Kode 6 angka').waitFor();
    await expect.poll(() => outbox(web.sys).filter((m) => m.to === CONTACT_E164).length).toBe(1);
    const message = outbox(web.sys).find((m) => m.to === CONTACT_E164)!;
    expect(message.lang).toBe('id');
    const code = /(\d{6})/.exec(message.text)![1]!;

    await page.getByLabel('Kode 6 angka').fill('000000' === code ? '111111' : '000000');
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.locator('#code-form .field-error').waitFor();
    expect(await page.locator('#code-form .field-error').textContent()).toMatch(/Kode salah|Sisa percobaan/);

    await page.getByLabel('Kode 6 angka').fill(code);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByRole('heading', { name: 'Status pendaftaran' }).waitFor();
    await page.getByText('Belum ada pendaftaran').waitFor();
  });

  it('switches to English with one tap, remembers it, tells the server, and shows server errors by the field', async () => {
    const page = applicant;
    await page.locator('#lang-toggle').click();
    await page.getByRole('heading', { name: 'Your entries' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.evaluate(() => localStorage.getItem('fairslot.lang'))).toBe('en');
    const accountId = (await web.sys.deps.accounts.accountIdForContact(CONTACT_E164))!;
    await expect.poll(async () => (await web.sys.deps.accounts.get(accountId))?.lang).toBe('en');

    // The NIK is checked by the server only; its error comes back and sits under the NIK field.
    await page.getByLabel('NIK (16 digits').fill('3174 0157 0890 000');
    await page.getByLabel('Full name as on the ID card').fill('Siti Aminah');
    await page.getByLabel('Date of birth').fill('1990-08-17');
    await page.getByRole('button', { name: 'Add person' }).click();
    const nik = page.getByLabel('NIK (16 digits');
    await expect.poll(() => nik.getAttribute('aria-invalid')).toBe('true');
    const errId = (await nik.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-err'))!;
    expect(await page.locator(`#${errId}`).textContent()).toBe('The NIK must be exactly 16 digits.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('nik');
    await shot(page, 'applicant-nik-error-en-360');

    // Back to Indonesian: the same error follows the language without another request.
    await page.locator('#lang-toggle').click();
    await expect.poll(() => page.locator(`#${errId}`).textContent()).toBe('NIK harus tepat 16 angka.');
    expect(await page.evaluate(() => localStorage.getItem('fairslot.lang'))).toBe('id');
  });

  it('adds a person and enters a draw with ranked session preferences', async () => {
    const page = applicant;
    await page.getByLabel('NIK (16 angka').fill(NIK);
    await page.getByRole('button', { name: 'Tambahkan' }).click();
    await page.getByText('Siti Aminah sudah ditambahkan.').waitFor();
    await page.locator('ul.persons').getByText('3174********0007').waitFor();

    await page.getByLabel('Kantor imigrasi').selectOption('jakarta-selatan');
    const info = page.locator('.office-info');
    await info.getByText(/Undian berikutnya: .*19\.00 WIB/).waitFor();
    await info.getByText(/Sekitar 200 tempat; sejauh ini 0 pendaftar|Sekitar 200 tempat per hari/).waitFor();

    await page.getByLabel('Hanya sesi pilihan saya, sesuai urutan').check();
    await page.getByRole('checkbox', { name: /13\.00–14\.30 WIB/ }).check();
    await page.getByRole('checkbox', { name: /10\.00–12\.00 WIB/ }).check();
    await page.getByRole('button', { name: 'Naikkan Sesi 10.00–12.00 WIB' }).click();
    // Focus stays on the moved session (on its other arrow once it reaches the top), for keyboard users.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('down-pagi-2');
    expect(await page.locator('#pref-list li.chosen').allTextContents()).toEqual([
      expect.stringContaining('10.00–12.00'),
      expect.stringContaining('13.00–14.30'),
    ]);
    await shot(page, 'applicant-join-360');

    await page.getByRole('button', { name: 'Ikut undian' }).click();
    await page.getByText(/Terdaftar\. Tiket [A-Z0-9]{12}/).waitFor();
    const entry = page.locator('ul.entries li.entry').first();
    await entry.getByText('Menunggu undian').waitFor();
    ticket = (await entry.getAttribute('data-ticket'))!;
    const accountId = (await web.sys.deps.accounts.accountIdForContact(CONTACT_E164))!;
    const [stored] = await web.sys.deps.entries.forAccount(accountId);
    expect(stored?.prefs).toEqual(['pagi-2', 'siang-1']);
    await info.getByText('Sekitar 200 tempat; sejauh ini 1 pendaftar.').waitFor();
    await shotBoth(page, 'applicant-entered');
  });

  it('an admin signs in, previews and runs the draw', async () => {
    ({ page: admin, problems: adminProblems } = await newPage(browser, DESKTOP));
    const page = admin;
    await page.goto(`${web.url}/admin`);
    await page.getByLabel('Nama pengguna').fill('admin');
    await page.getByLabel('Kata sandi').fill('wrong password!');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByText('Nama pengguna atau kata sandi salah').waitFor();
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('tab', { name: 'Undian' }).waitFor();
    await page.getByLabel('Kantor', { exact: true }).selectOption('jakarta-selatan');
    await page.getByText(/Undian berikutnya: .*19\.00 WIB/).waitFor();

    // Public entropy for the open draw: the server checks it, the error sits under the field.
    const entropy = page.locator('#entropy');
    const value = entropy.getByLabel('Nilai, persis seperti yang diumumkan');
    await value.fill('IHSG');
    await entropy.getByRole('button', { name: 'Tambahkan ke undian' }).click();
    await entropy.getByText('Isi 8 sampai 512 karakter.').waitFor();
    expect(await value.getAttribute('aria-invalid')).toBe('true');
    await value.fill('Penutupan IHSG 30 Nov 2026: 7.123,45');
    await entropy.getByRole('button', { name: 'Tambahkan ke undian' }).click();
    await page.getByText('Entropi publik ditambahkan ke undian Senin, 30 November 2026.').waitFor();
    await page.locator('#entropy-current').getByText('Penutupan IHSG 30 Nov 2026: 7.123,45').waitFor();
    expect((await web.sys.deps.draws.meta('jakarta-selatan', '2026-11-30'))?.publicEntropy).toBe(
      'Penutupan IHSG 30 Nov 2026: 7.123,45',
    );
    await entropy.scrollIntoViewIfNeeded();
    await shotBoth(page, 'admin-entropy');

    await page.getByRole('button', { name: 'Pratinjau' }).click();
    await page.getByText(/seed sekali pakai .*1 pendaftar, 1 akan mendapat tempat/).waitFor();
    await page.getByRole('button', { name: 'Undi sekarang' }).click();
    // Before the announced close: the question says how early, and how many entries the draw holds.
    await page
      .locator('#draw-controls .confirm')
      .getByText(
        /Tutup pendaftaran undian Senin, 30 November 2026 (\d+ jam )?(\d+ menit )?sebelum waktu tutup yang diumumkan, dengan 1 pendaftar/,
      )
      .waitFor();
    await shotBoth(page, 'admin-run-confirm');
    await page.getByRole('button', { name: 'Ya, undi sekarang' }).click();
    await page.getByText(/selesai: 1 mendapat tempat, 0 di daftar tunggu/).waitFor({ timeout: 30_000 });
    const row = page.locator('tbody tr', { hasText: '2026-11-30' });
    await row.getByText('sudah diundi').waitFor();
    expect(await row.getByRole('link', { name: /Unduh hasil/ }).getAttribute('href')).toBe(
      '/api/admin/draws/jakarta-selatan/dates/2026-11-30/export.csv',
    );
    await shotBoth(page, 'admin-draws');
    expect(adminProblems).toEqual([]);
  });

  it('a big draw answers 202: the admin sees it running, polled every 2 s, then its result', async () => {
    // A second office with one entry, so it has an open draw of its own.
    const headers = await signInApplicant(web.sys, '0813 2222 3333');
    const person = await call(
      web.sys,
      'POST',
      '/api/me/persons',
      {
        nik: exampleNik({ birthDate: '1985-03-02', sex: 'M', serial: 3 }),
        name: 'Budi Santoso',
        birthDate: '1985-03-02',
      },
      headers,
    );
    expect(person.status).toBe(201);
    const entry = await call(
      web.sys,
      'POST',
      '/api/me/entries',
      {
        personId: person.body.person.id,
        officeId: 'surabaya',
        prefs: ['pagi-1'],
        pow: await powFor(web.sys, 'entry'),
      },
      headers,
    );
    expect(entry.status).toBe(201);

    // A draw of one entry is done at once; in the browser it is made to look like one that outlasts the
    // server's 10 s wait. Run now really runs it but the page is told 202, and the draw list shows it
    // closed (not drawn) until the test lets the result through: the page's polling is the real one.
    const page = admin;
    let drawDate = '';
    let holding = true;
    let polls = 0;
    await page.route('**/api/admin/draws/surabaya/run', async (route) => {
      drawDate = JSON.parse(route.request().postData() ?? '{}').drawDate ?? '';
      await route.fetch();
      await route.fulfill({
        status: 202,
        json: { status: 'running', officeId: 'surabaya', drawDate, jobId: 'e2e-job' },
      });
    });
    await page.route('**/api/admin/draws/surabaya', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      const row = body.draws.find((d: { drawDate: string }) => d.drawDate === drawDate);
      if (holding && row) {
        polls++;
        Object.assign(row, { status: 'closed', seed: null, winners: null, waitlisted: null });
      }
      await route.fulfill({ response: res, json: body });
    });
    try {
      await page.goto(`${web.url}/admin?office=surabaya&tab=draws`);
      await page.getByRole('button', { name: 'Undi sekarang' }).click();
      await page.getByRole('button', { name: 'Ya, undi sekarang' }).click();
      const status = page.locator('#draw-status');
      await status
        .getByText('Undian Senin, 30 November 2026 sedang berjalan. Pendaftaran sudah ditutup.')
        .waitFor();
      // The page sent the draw the admin confirmed, not whichever happens to be open.
      expect(drawDate).toBe('2026-11-30');
      expect(await status.getAttribute('role')).toBe('status');
      await status.getByText('tetap berjalan walaupun Anda meninggalkan halaman ini').waitFor();
      await status.locator('.spinner').waitFor();
      await page.locator('tbody tr', { hasText: '2026-11-30' }).getByText('sedang diundi…').waitFor();
      // "Run now" would name the next day's draw meanwhile: it waits.
      expect(await page.locator('#run-now').isDisabled()).toBe(true);
      // It keeps asking (every 2 s) while the draw runs.
      await expect.poll(() => polls, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
      await shotBoth(page, 'admin-draw-running');

      await page.locator('#lang-toggle').click();
      await status
        .getByText('The draw of Monday, 30 November 2026 is running. Entries are closed.')
        .waitFor();
      await status.getByText('goes on even if you leave this page').waitFor();
      await page.locator('tbody tr', { hasText: '2026-11-30' }).getByText('drawing…').waitFor();
      await shot(page, 'admin-draw-running-en-1280');
      await page.locator('#lang-toggle').click();

      // A look at another tab and back: still followed.
      await page.getByRole('tab', { name: 'Statistik' }).click();
      await page.locator('#stats svg').first().waitFor();
      await page.getByRole('tab', { name: 'Undian' }).click();
      await status.getByText('Undian Senin, 30 November 2026 sedang berjalan.', { exact: false }).waitFor();

      holding = false;
      await status
        .getByText('Undian Senin, 30 November 2026 selesai: 1 mendapat tempat, 0 di daftar tunggu.')
        .waitFor({ timeout: 30_000 });
      await page.locator('tbody tr', { hasText: '2026-11-30' }).getByText('sudah diundi').waitFor();
      expect(await status.locator('.spinner').count()).toBe(0);
      // Drawn before its announced close: run now has nothing to act on until then, and says why.
      expect(await page.locator('#run-now').isDisabled()).toBe(true);
      await page
        .locator('#run-next-after')
        .getByText(/Undian Senin, 30 November 2026 sudah diundi/)
        .waitFor();
      await shotBoth(page, 'admin-draw-done');
      await page.locator('#lang-toggle').click();
      await status.getByText('Draw of Monday, 30 November 2026 done: 1 place given, 0 waitlisted.').waitFor();
      await page.locator('#lang-toggle').click();
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    }
    expect((await web.sys.deps.draws.meta('surabaya', '2026-11-30'))?.state).toBe('drawn');
    expect(adminProblems).toEqual([]);
  }, 60_000);

  it('a throttled username gets a clear 429 message with the wait on both sign-in forms', async () => {
    await web.sys.deps.users.create({ username: 'kepala', role: 'admin', officeId: null }, PASSWORD);
    for (const [path, username, opts, title] of [
      ['/admin', 'kepala', PHONE, 'Masuk admin'],
      ['/officer', 'loket-9', DESKTOP, 'Masuk petugas'],
    ] as const) {
      // Many failures for the name (from anywhere; here, this process), until the server throttles it.
      const throttled = await throttleUsername(web.url, username);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await throttled.json()).error.code).toBe('sign_in_throttled');

      // A browser that never signed in as that name: no device cookie, so the throttle applies to it.
      const { page, problems, context } = await newPage(browser, opts);
      await page.goto(`${web.url}${path}`);
      await page.getByRole('heading', { name: title }).waitFor();
      await page.getByLabel('Nama pengguna').fill(username);
      await page.getByLabel('Kata sandi').fill('still not the password');
      // One attempt per 10 s still reaches the password check (then 401): on a slow machine the browser's
      // first try may be that one, so try again until the answer is the 429.
      let res = null;
      for (let i = 0; i < 3 && res?.status() !== 429; i++) {
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/staff/login'));
        await page.getByRole('button', { name: 'Masuk' }).click();
        res = await answer;
        await page.locator('#staff-login .status.error').waitFor();
      }
      expect(res?.status()).toBe(429);
      const wait = Number(res!.headers()['retry-after']);
      expect(wait).toBeGreaterThan(0);
      const status = page.locator('#staff-login .status.error');
      await expect
        .poll(() => status.textContent())
        .toBe(
          `Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. Coba lagi dalam ${wait} detik.`,
        );
      expect(await status.getAttribute('role')).toBe('alert');
      await shotBoth(page, `staff-signin-throttled${path.replace('/', '-')}`);
      await page.locator('#lang-toggle').click();
      await expect
        .poll(() => status.textContent())
        .toBe(
          `Too many failed sign-ins for this username. Try again in ${wait} ${wait === 1 ? 'second' : 'seconds'}.`,
        );
      await shot(page, `staff-signin-throttled${path.replace('/', '-')}-en-${opts.viewport.width}`);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('the applicant sees the win after a refresh and confirms the appointment', async () => {
    const page = applicant;
    await page.reload();
    const entry = page.locator(`li.entry[data-ticket="${ticket}"]`);
    await entry.getByText('Menang').waitFor();
    await entry.getByText(/sesi 10\.00–12\.00 WIB pada Rabu, 2 Desember 2026/).waitFor();
    await entry.getByText('Peringkat undian 1').waitFor();
    // The appointments API (another issue) offers the won place; confirming it reveals the booking code.
    const appt = page.locator('#appointments li.entry').first();
    await appt.getByText('Perlu konfirmasi').waitFor();
    await appt.getByText('Rabu, 2 Desember 2026, 10.00–12.00 WIB').waitFor();
    await shotBoth(page, 'applicant-won');
    await appt.getByRole('button', { name: 'Konfirmasi kedatangan' }).click();
    await page.getByText('Jadwal dikonfirmasi.').waitFor();
    await appt.getByText('Terkonfirmasi').waitFor();
    bookingCode = (await appt.getAttribute('data-code'))!;
    expect(await appt.locator('.booking-code').textContent()).toBe(bookingCode.replace(/^(.{5})/, '$1 '));
    const qr = appt.getByRole('img', { name: `Kode QR untuk kode booking ${bookingCode}` });
    await expect
      .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    expect(await appt.getByRole('link', { name: /kalender/ }).getAttribute('href')).toBe(
      `/api/me/appointments/${bookingCode}/ics`,
    );
    await shot(page, 'applicant-confirmed-360');
    expect(applicantProblems).toEqual([]);
  });

  it('/verify recomputes the draw in the browser, shows MATCH and finds the ticket', async () => {
    const { page, problems, context } = await newPage(browser, PHONE);
    await page.goto(`${web.url}/verify?office=jakarta-selatan&date=2026-11-30`);
    await page.locator('#verdict').getByText('COCOK').waitFor();
    // The record's own checks; the transparency log's are tested in verify-log.test.ts.
    expect(await page.locator('ul.checks:not(#log-checks) li.bad').count()).toBe(0);
    expect(await page.locator('ul.checks:not(#log-checks) li.ok').count()).toBe(9);
    // A development server draws without a beacon: passed, with the warning in plain words.
    expect(await page.locator('ul.checks:not(#log-checks) li.warn').count()).toBe(1);
    await page.locator('#beacon').getByText('TIDAK TERIKAT SUAR').waitFor();
    const seed = await page.locator('#seed').textContent();
    expect(seed).toMatch(/^[0-9a-f]{64}$/);

    await page.getByLabel('Tiket (12 huruf').fill(ticket.toLowerCase());
    await page.getByRole('button', { name: 'Cari' }).click();
    await page
      .getByText(`Tiket ${ticket}: peringkat 1 dari 1. Mendapat tempat di sesi 10.00–12.00 WIB.`)
      .waitFor();
    // The checks' detail lines are in the page language too, not the verifier's English.
    await page
      .locator('ul.checks:not(#log-checks)')
      .getByText(/^1 pendaftar, digest /)
      .waitFor();
    await page.locator('ul.checks:not(#log-checks)').getByText('1 baris sama persis').waitFor();
    expect(await page.locator('ul.checks:not(#log-checks)').textContent()).not.toMatch(
      /entries, digest|rows identical/,
    );
    await page.locator('#lang-toggle').click();
    await page.locator('#verdict').getByText('MATCH').waitFor();
    await page.getByText(`Ticket ${ticket}: rank 1 of 1. Won a place in session 10:00–12:00 WIB.`).waitFor();
    await shotBoth(page, 'verify-match');
    // The selection is in the address, so it can be shared.
    expect(page.url()).toContain('office=jakarta-selatan');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('/verify without parameters lets a visitor pick an office and a draw', async () => {
    const { page, problems, context } = await newPage(browser, DESKTOP);
    await page.goto(`${web.url}/verify`);
    await page.getByLabel('Kantor', { exact: true }).selectOption('jakarta-selatan');
    await expect.poll(() => page.getByLabel('Undian', { exact: true }).isEnabled()).toBe(true);
    await page.getByLabel('Undian', { exact: true }).selectOption('2026-11-30');
    await page.getByRole('button', { name: 'Periksa undian ini' }).click();
    await page.locator('#verdict').getByText('COCOK').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the admin edits rules with inline validation and sees the version history diff', async () => {
    const page = admin;
    // Signed in already: the session cookie carries over, and the address keeps office and tab.
    await page.goto(`${web.url}/admin?office=jakarta-selatan&tab=rules`);
    const capacity = page.getByLabel('Kapasitas 1', { exact: true });
    await capacity.fill('-5');
    await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
    await expect.poll(() => capacity.getAttribute('aria-invalid')).toBe('true');
    const errId = (await capacity.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${errId}`).textContent()).toBe('minimal 0');
    await page.locator('#rules-summary').getByText('Sesi 1 (08.00–10.00) · Kapasitas: minimal 0').waitFor();
    expect(await page.locator('#rules-summary').textContent()).not.toMatch(/rules\.|sessions\.0|>=/);
    await shotBoth(page, 'admin-rules-error');

    await capacity.fill('60');
    await page.getByLabel('Apa yang diubah').fill('Tambah 10 tempat pagi');
    await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
    await page.getByText('Tersimpan sebagai versi 2.').waitFor();
    await page.getByText('Kuota harian: 210 tempat.').waitFor();

    await page.getByRole('tab', { name: 'Riwayat aturan' }).click();
    const v2 = page.locator('li[data-version="2"]');
    await v2.getByText('Tambah 10 tempat pagi').waitFor();
    await v2.getByText('Sesi 1 (08.00–10.00) · Kapasitas').waitFor();
    expect(await v2.textContent()).not.toContain('sessions.0');
    expect(await v2.locator('del').first().textContent()).toBe('50');
    expect(await v2.locator('ins').first().textContent()).toBe('60');
    await shotBoth(page, 'admin-history');
    expect(adminProblems).toEqual([]);
  });

  it('the admin tries a capacity change before applying it and sees current and proposed side by side', async () => {
    const page = admin;
    await page.goto(`${web.url}/admin?office=jakarta-selatan&tab=rules`);
    const capacity = page.getByLabel('Kapasitas 1', { exact: true });
    const tryIt = page.getByRole('button', { name: 'Coba dulu' });
    expect(await page.getByLabel('Periode simulasi').inputValue()).toBe('7');
    // Bad rules: the server's field error sits under the field, as when saving.
    await capacity.fill('-5');
    await tryIt.click();
    await expect.poll(() => capacity.getAttribute('aria-invalid')).toBe('true');
    await page.locator('#rules-summary').getByText('Sesi 1 (08.00–10.00) · Kapasitas: minimal 0').waitFor();
    expect(await page.locator('#rules-summary').textContent()).not.toMatch(/rules\.|sessions\.0|>=/);

    await capacity.fill('80');
    await tryIt.click();
    await page.locator('#whatif-result').getByText('Menyimulasikan 7 hari').waitFor();
    await shot(page, 'admin-whatif-busy-1280');
    const result = page.locator('#whatif-result');
    expect(await result.getAttribute('aria-live')).toBe('polite');
    await result.locator('table').waitFor({ timeout: 60_000 });
    expect(await result.locator('thead th').allTextContents()).toEqual([
      'Ukuran',
      'Aturan sekarang',
      'Formulir ini',
    ]);
    const places = await result.locator('tr[data-measure="capacity"] td').allTextContents();
    const [before, after] = places.map((s) => Number.parseInt(s.replace(/\D/g, ''), 10));
    expect(after).toBeGreaterThan(before!);
    for (const m of ['used', 'held', 'broker', 'waitMedian', 'waitP95']) {
      expect(await result.locator(`tr[data-measure="${m}"] td`).count()).toBe(2);
    }
    await result.getByText('bukan ramalan').waitFor();
    await result.getByText('Sesi 1 (08.00–10.00) · Kapasitas').waitFor();
    expect(await result.textContent()).not.toContain('sessions.0');
    // Nothing saved: Apply is still there, and the office keeps version 2.
    await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).waitFor();
    expect((await web.sys.deps.offices.rules('jakarta-selatan'))?.version).toBe(2);
    await page.locator('#whatif').scrollIntoViewIfNeeded();
    await shotBoth(page, 'admin-whatif');
    await page.locator('#lang-toggle').click();
    await result.getByRole('columnheader', { name: 'Current rules' }).waitFor();
    await shot(page, 'admin-whatif-en-1280');
    await page.locator('#lang-toggle').click();
    expect(adminProblems).toEqual([]);
  }, 90_000);

  it('the admin blocks and unblocks a flagged account', async () => {
    const accountId = (await web.sys.deps.accounts.accountIdForContact(CONTACT_E164))!;
    await web.sys.deps.flags.add(
      flagRecord(
        'nik_conflict',
        accountId,
        { personCount: 1, otherAccount: 'zzzzzzzzzzzz' },
        web.sys.clock.now,
      ),
    );
    const page = admin;
    await page.goto(`${web.url}/admin?tab=flags`);
    const row = page.locator('tbody tr', { hasText: 'NIK sudah dipakai akun lain' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Blokir', exact: true }).click();
    await row.getByText('Tulis alasan minimal 3 karakter.').waitFor();
    await row.getByLabel('Alasan pemblokiran').fill('calo: NIK orang lain');
    await row.getByRole('button', { name: 'Blokir', exact: true }).click();
    await page.getByText(`Akun ${accountId} diblokir.`).waitFor();
    expect((await web.sys.deps.accounts.get(accountId))?.blocked).toBe(true);
    await shotBoth(page, 'admin-flags');
    await row.getByRole('button', { name: 'Buka blokir' }).click();
    await page.getByText(`Blokir akun ${accountId} dibuka.`).waitFor();
    expect((await web.sys.deps.accounts.get(accountId))?.blocked).toBe(false);
    expect(adminProblems).toEqual([]);
  });

  it('the admin creates an office through the form, with the server’s errors next to the fields', async () => {
    const page = admin;
    await page.goto(`${web.url}/admin?office=jakarta-selatan&tab=offices`);
    const form = page.locator('#office-create');
    const id = form.getByLabel('ID', { exact: true });
    await id.fill('Jakarta Barat!');
    await form.getByLabel('Nama', { exact: true }).fill('Kantor Imigrasi Kelas I TPI Jakarta Barat');
    await form.getByLabel('Alamat').fill('Jl. Pos Kota No. 4, Jakarta Barat');
    await form.getByLabel('Zona waktu').selectOption('Asia/Jakarta');
    await form.getByRole('button', { name: 'Buat kantor' }).click();
    // Only the server checks the ID; its answer lands under the field, which gets the focus.
    await expect.poll(() => id.getAttribute('aria-invalid')).toBe('true');
    const errId = (await id.getAttribute('aria-describedby'))!.split(' ').find((x) => x.endsWith('-err'))!;
    expect(await page.locator(`#${errId}`).textContent()).toBe(
      'Pakai 2 sampai 40 huruf kecil, angka dan tanda hubung, diawali huruf atau angka.',
    );
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('id');
    expect(await web.sys.deps.offices.get('jakarta-barat')).toBeNull();
    await form.scrollIntoViewIfNeeded();
    await shotBoth(page, 'admin-office-error');

    await id.fill('jakarta-barat');
    await form.getByRole('button', { name: 'Buat kantor' }).click();
    await page
      .getByText('Kantor “Kantor Imigrasi Kelas I TPI Jakarta Barat” dibuat dengan aturan bawaan.')
      .waitFor();
    expect(await page.getByLabel('Kantor', { exact: true }).inputValue()).toBe('jakarta-barat');
    expect(await web.sys.deps.offices.get('jakarta-barat')).toMatchObject({
      name: 'Kantor Imigrasi Kelas I TPI Jakarta Barat',
      tz: 'Asia/Jakarta',
    });

    // Editing the address: the server's error by the field first, then saved.
    const edit = page.locator('#office-edit');
    await edit.getByLabel('Alamat').fill('x');
    await edit.getByRole('button', { name: 'Simpan data kantor' }).click();
    await edit.getByText('Isi alamat 2 sampai 300 karakter.').waitFor();
    await edit.getByLabel('Alamat').fill('Jl. Pos Kota No. 4, Jakarta Barat 11110');
    await edit.getByRole('button', { name: 'Simpan data kantor' }).click();
    await page.getByText('Data kantor tersimpan.').waitFor();
    expect((await web.sys.deps.offices.get('jakarta-barat'))?.address).toBe(
      'Jl. Pos Kota No. 4, Jakarta Barat 11110',
    );
    await shotBoth(page, 'admin-offices');
    expect(adminProblems).toEqual([]);
  });

  it('on the appointment day an officer without a camera scanner types the booking code', async () => {
    // Wednesday 09:30 WIB, half an hour before the 10:00 session the applicant won.
    web.sys.clock.now = new Date('2026-12-02T02:30:00Z');
    const { page, problems, context } = await newPage(browser, PHONE);
    await page.goto(`${web.url}/officer`);
    await page.getByLabel('Nama pengguna').fill('petugas');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByText('Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan').waitFor();
    await page.getByText('Sesi hari ini – Rabu, 2 Desember 2026').waitFor();
    const session = page.locator('li[data-session="pagi-2"]');
    await session.getByText('10.00–12.00 WIB').waitFor();
    await session.getByText(/terkonfirmasi 1 · hadir 0/).waitFor();
    // Linux Chromium has no BarcodeDetector: typing is the way, and no Scan button is offered.
    expect(await page.evaluate(() => 'BarcodeDetector' in window)).toBe(false);
    expect(await page.locator('#scan-open').isHidden()).toBe(true);

    const code = page.getByLabel('Kode booking');
    await code.fill('abc123');
    await code.press('Enter');
    await page.locator('.checkin-result.error').getByText('Ini bukan kode booking').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an officer scans the QR code with the camera where the browser can read QR codes', async () => {
    const { page, problems, context } = await newPage(browser, PHONE);
    // A stand-in BarcodeDetector and back camera (a canvas stream): the detector sees nothing until the
    // test puts a QR payload in window.__qr, so the open camera can be looked at first.
    await page.addInitScript(() => {
      const w = window as any;
      w.__qr = null;
      w.__tracks = [];
      w.BarcodeDetector = class {
        static async getSupportedFormats() {
          return ['qr_code', 'ean_13'];
        }
        constructor(opts: { formats: string[] }) {
          w.__formats = opts.formats;
        }
        async detect() {
          return w.__qr ? [{ rawValue: w.__qr, format: 'qr_code' }] : [];
        }
      };
      const getUserMedia = async (constraints: MediaStreamConstraints) => {
        w.__constraints = constraints;
        const canvas = document.createElement('canvas');
        canvas.width = 640;
        canvas.height = 480;
        const g = canvas.getContext('2d')!;
        const paint = () => {
          g.fillStyle = '#5a6670';
          g.fillRect(0, 0, 640, 480);
          g.fillStyle = '#fff';
          g.fillRect(200, 120, 240, 240);
          g.fillStyle = '#111';
          for (let i = 0; i < 64; i++)
            if ((i * 7) % 3) g.fillRect(212 + (i % 8) * 27, 132 + (i >> 3) * 27, 24, 24);
        };
        paint();
        setInterval(paint, 100);
        const stream = canvas.captureStream(10);
        w.__tracks.push(...stream.getTracks());
        return stream;
      };
      Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true });
    });
    await page.goto(`${web.url}/officer`);
    await page.getByLabel('Nama pengguna').fill('petugas');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    const session = page.locator('li[data-session="pagi-2"]');
    await session.getByText(/terkonfirmasi 1 · hadir 0/).waitFor();
    const tracksLive = () =>
      page.evaluate(
        () => (window as any).__tracks.filter((t: MediaStreamTrack) => t.readyState === 'live').length,
      );

    // Escape closes the camera and gives the focus back to the button.
    const scan = page.getByRole('button', { name: 'Pindai QR' });
    await scan.click();
    const scanner = page.getByRole('group', { name: /Arahkan kamera ke kode QR/ });
    await scanner.getByText('Mencari kode QR…').waitFor();
    expect(await scan.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByLabel('Tampilan kamera untuk memindai kode QR').evaluate((v) => v.tagName)).toBe(
      'VIDEO',
    );
    expect(await page.evaluate(() => (window as any).__constraints.video.facingMode)).toEqual({
      ideal: 'environment',
    });
    expect(await page.evaluate(() => (window as any).__formats)).toEqual(['qr_code']);
    expect(await tracksLive()).toBe(1);
    await page.keyboard.press('Escape');
    await scanner.waitFor({ state: 'hidden' });
    expect(await tracksLive()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('scan-open');

    // Open again, look at it, then show it the QR code of the appointment: it looks the code up by
    // itself, and the officer confirms the arrival after comparing name and NIK with the KTP.
    await scan.click();
    await scanner.getByText('Mencari kode QR…').waitFor();
    await shotBoth(page, 'officer-scan');
    const payload = `FAIRSLOT:${bookingCode}:jakarta-selatan:2026-12-02`;
    await page.evaluate((qr) => {
      (window as any).__qr = qr;
    }, payload);
    const card = page.getByRole('group', { name: 'Periksa KTP' });
    await card.getByText('Siti Aminah').waitFor();
    await session.getByText(/terkonfirmasi 1 · hadir 0/).waitFor();
    await card.getByRole('button', { name: 'Konfirmasi kedatangan' }).click();
    const ok = page.locator('.checkin-result.ok');
    await ok.getByText('Kedatangan tercatat').waitFor();
    await ok.getByText('Siti Aminah').waitFor();
    await ok.getByText('3174********0007').waitFor();
    await session.getByText(/terkonfirmasi 0 · hadir 1/).waitFor();
    expect(await scanner.isHidden()).toBe(true);
    expect(await tracksLive()).toBe(0);
    await shotBoth(page, 'officer');

    // Typing still works next to the camera; officers type codes in lower case and with spaces, and the
    // server normalises them (so it knows this one is used).
    const code = page.getByLabel('Kode booking');
    await code.fill(bookingCode.toLowerCase().replace(/^(.{5})/, '$1 '));
    await code.press('Enter');
    await page.locator('.checkin-result.error').getByText('Kode ini sudah dipakai').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an officer of another office hears which office the code belongs to; an unknown code is unknown', async () => {
    await web.sys.deps.users.create(
      { username: 'petugas-sby', role: 'officer', officeId: 'surabaya' },
      PASSWORD,
    );
    const { page, problems, context } = await newPage(browser, PHONE);
    await page.goto(`${web.url}/officer`);
    await page.getByLabel('Nama pengguna').fill('petugas-sby');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByText('Kantor Imigrasi Kelas I Khusus TPI Surabaya').waitFor();
    const code = page.getByLabel('Kode booking');
    const result = page.locator('.checkin-result.error');
    const answerTo = async (typed: string) => {
      await code.fill(typed);
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/officer/check-in/lookup'));
      await code.press('Enter');
      const res = await answer;
      await result.waitFor();
      return { status: res.status(), code: (await res.json()).error?.code, text: await result.textContent() };
    };
    const foreign = await answerTo(bookingCode);
    expect(foreign).toEqual({
      status: 409,
      code: 'wrong_office',
      text: '✗ Kode ini milik Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan. Arahkan pemohon ke kantor tersebut.',
    });
    expect(foreign.text).not.toContain('Siti');
    await shotBoth(page, 'officer-other-office');
    await page.locator('#lang-toggle').click();
    await result
      .getByText('This code belongs to Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan.')
      .waitFor();
    await page.locator('#lang-toggle').click();
    await result.evaluate((el) => el.remove());
    const unknown = await answerTo(bookingCode === 'ABCDE23456' ? 'ABCDE23457' : 'ABCDE23456');
    expect(unknown).toEqual({
      status: 404,
      code: 'unknown_code',
      text: '✗ Tidak ada jadwal dengan kode ini. Periksa kembali kodenya bersama pemohon.',
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a draw stuck past its time is shown on the draws tab, in both languages', async () => {
    const page = admin;
    const { deps } = web.sys;
    // The watchdog would re-queue and draw it within 30 s; this test is about what the admin sees meanwhile.
    await deps.queues!.maintenance.removeJobScheduler('draw-watchdog');
    const rules = (await deps.offices.rules('ambon'))!;
    const closedAt = deps.now().getTime() - 3600_000;
    await deps.draws.close(
      'ambon',
      '2026-11-30',
      '2026-12-02',
      { seed: 'cd'.repeat(32), commitment: 'c', anchor: '' },
      rules.version,
      closedAt,
    );
    await page.goto(`${web.url}/admin?office=ambon&tab=draws`);
    const notice = page.locator('#draw-stuck');
    await notice
      .getByText(/Undian Senin, 30 November 2026 seharusnya sudah diundi pada .* dan belum/)
      .waitFor();
    expect(await notice.getAttribute('role')).toBe('alert');
    await shotBoth(page, 'admin-draw-stuck');
    await page.locator('#lang-toggle').click();
    await notice.getByText(/The draw of Monday, 30 November 2026 should have been drawn at/).waitFor();
    await page.locator('#lang-toggle').click();
    expect(adminProblems).toEqual([]);
  });

  it('the admin reads the figures of each day as charts, with a table for screen readers', async () => {
    const page = admin;
    await page.goto(`${web.url}/admin?office=jakarta-selatan&tab=stats`);
    const stats = page.locator('#stats');
    await stats.locator('svg').first().waitFor();
    expect(await stats.locator('svg.chart').count()).toBe(6);
    await stats.locator('#chart-entries').getByText('total 1 · terakhir 1').waitFor();
    await stats
      .locator('#chart-confirmationRate')
      .getByText(/terakhir 100\s?%/)
      .waitFor();
    await stats
      .locator('#chart-showRate')
      .getByText(/terakhir 100\s?%/)
      .waitFor();
    await stats.getByText('Tampilkan angka sebagai tabel').click();
    const row = stats.locator('tbody tr', { hasText: 'Rab, 2 Des 2026' });
    expect(await row.locator('td').allTextContents()).toEqual([
      'Rab, 2 Des 2026',
      '1',
      '200',
      '1',
      '1',
      '1',
      '0',
      '0',
      '0',
      '0 / 0',
      expect.stringMatching(/^0,5\s?%$/),
      expect.stringMatching(/^100\s?%$/),
      expect.stringMatching(/^100\s?%$/),
    ]);
    await shotBoth(page, 'admin-stats');
    // The charts follow a language switch like the rest of the page.
    await page.locator('#lang-toggle').click();
    await stats.locator('#chart-entries').getByText('total 1 · latest 1').waitFor();
    await page.locator('#lang-toggle').click();
    expect(adminProblems).toEqual([]);
  });
});
