// The standby panel at the counter on a 360 px phone: the line in rank order, marking an arrival by ticket
// and seating the arrived people in the places of a confirmed applicant who did not come.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../src/domain/rules.ts';
import { keys } from '../../src/redis/keys.ts';
import { StandbyStore } from '../../src/store/standby.ts';
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
const OFFICE = 'jakarta-selatan'; // WIB, UTC+7
const DRAW = '2026-11-30';
const DAY = '2026-12-02';
let web: WebSystem;
let browser: Browser;

beforeAll(async () => {
  web = await startWebSystem();
  const { sys } = web;
  const rules = { ...defaultRules, sessions: [{ id: 'pagi-1', start: '08:00', end: '10:00', capacity: 1 }] };
  await sys.deps.offices.updateRules(OFFICE, rules, 1, 'test');
  await sys.deps.users.create({ username: 'loket-sb', role: 'officer', officeId: OFFICE }, PASSWORD);
  for (let i = 0; i < 4; i++) {
    const p = {
      id: `p${i}`,
      nikHash: `nik-sb-${i}`,
      nikMasked: `3174****000${i}`,
      name: `Warga ${i}`,
      birthDate: '1980-01-01',
    };
    await sys.redis.client.hset(
      keys.accountPersons(`sb${i}`),
      p.id,
      JSON.stringify({ ...p, category: null }),
    );
    const r = await sys.deps.entries.join({
      accountId: `sb${i}`,
      personId: p.id,
      nikHash: p.nikHash,
      birthDate: p.birthDate,
      category: null,
      officeId: OFFICE,
      drawDate: DRAW,
      targetDate: DAY,
      prefs: null,
    });
    if (!r.ok) throw new Error(r.reason);
  }
  await sys.deps.drawControl.runNow(OFFICE, DRAW);
  for (let i = 0; i < 100 && (await sys.deps.appointments.forDay(OFFICE, DAY)).length === 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  const [a] = await sys.deps.appointments.forDay(OFFICE, DAY);
  await sys.deps.lifecycle.confirm(a!.accountId, a!.code);
  sys.clock.now = new Date('2026-12-01T05:00:00Z'); // Tuesday 12:00 WIB: the cut-off
  await sys.deps.lifecycle.closeWaitlist(OFFICE, DAY, DRAW);
  sys.clock.now = new Date('2026-12-02T01:31:00Z'); // Wednesday 08:31 WIB: the confirmed person is not here
  if (HAS_CHROMIUM) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe.skipIf(!HAS_CHROMIUM)(`the standby panel${HAS_CHROMIUM ? '' : ` (${SKIP_REASON})`}`, () => {
  it('marks an arrival by ticket and seats the best-ranked arrived person (360 px)', async () => {
    const line = await new StandbyStore(web.sys.redis.client).line(OFFICE, DAY);
    expect(line).toHaveLength(3);
    const { page, problems, context } = await newPage(browser, PHONE);
    await page.goto(`${web.url}/officer`);
    await page.getByLabel('Nama pengguna').fill('loket-sb');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    const panel = page.locator('#standby');
    await panel.getByText('Cadangan').first().waitFor();
    // The second on the line comes; the first does not.
    await panel.getByLabel('Tiket cadangan').fill(line[1]!.ticket.toLowerCase());
    await panel.getByRole('button', { name: 'Catat hadir' }).click();
    await panel.getByText('1 orang dicatat hadir.').waitFor();
    await panel.getByText('1 kosong').waitFor();
    await panel.getByRole('button', { name: 'Dudukkan cadangan' }).click();
    await panel.getByText('1 orang mendapat tempat dan tercatat hadir.').waitFor();
    await panel
      .locator(`[data-ticket="${line[1]!.ticket}"]`)
      .getByText(/dapat tempat/)
      .waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await shot(page, 'officer-standby-phone');
    const seated = (await web.sys.deps.appointments.forDay(OFFICE, DAY)).filter(
      (x) => x.source === 'standby',
    );
    expect(seated.map((x) => [x.ticket, x.state])).toEqual([[line[1]!.ticket, 'checked_in']]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
