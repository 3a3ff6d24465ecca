// /verify shows where a draw's randomness came from, in Indonesian and English: a draw anchored to a real
// League of Entropy quicknet round (served by the local drand double from the recorded rounds), the wait
// for that round while entries are closed, and MATCH once drawn. Screenshots: verify-beacon-*.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../src/domain/rules.ts';
import { type BeaconDouble, startBeaconDouble } from '../support/beacon-double.ts';
import { fillDraw } from '../support/entries.ts';
import { call } from '../support/system.ts';
import {
  HAS_CHROMIUM,
  launchBrowser,
  newPage,
  PHONE,
  SKIP_REASON,
  shotBoth,
  startWebSystem,
  type WebSystem,
} from './support.ts';

// Quicknet round 657413 is published at 2023-09-15T11:00:03Z: a draw closing at 18:00 WIB that day with a
// one-second delay is anchored to it.
const office = 'jakarta-selatan';
const drawDate = '2023-09-15';
let web: WebSystem;
let browser: Browser;
let double: BeaconDouble;
const clock = { ms: Date.parse('2023-09-15T10:58:00Z') };

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  double = await startBeaconDouble(() => clock.ms);
  web = await startWebSystem({ BEACON_URLS: double.url, BEACON_DELAY_S: '1' });
  const { sys } = web;
  Object.defineProperty(sys.clock, 'now', { get: () => new Date(clock.ms), set: () => {} });
  const current = (await sys.deps.offices.rules(office))!;
  await sys.deps.offices.updateRules(
    office,
    { ...defaultRules, ...current.rules, drawTime: '18:00', serviceDays: [1, 2, 3, 4, 5, 6, 7] },
    current.version,
    'test',
  );
  await fillDraw(sys.deps, office, drawDate, '2023-09-17', 25, {
    category: (i) => (i % 4 ? null : 'lansia'),
  });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await double?.stop();
});

describe.skipIf(!HAS_CHROMIUM)(`/verify and the beacon ${HAS_CHROMIUM ? '' : SKIP_REASON}`, () => {
  it('shows the wait for the round, then the anchored draw and MATCH, in both languages', async () => {
    const { sys } = web;
    expect((await call(sys, 'GET', `/api/draws/${office}/${drawDate}`)).body.anchor.round).toBe(657413);
    expect((await sys.deps.drawControl.runNow(office, drawDate, 300)).done).toBe(false);
    const { page, problems, context } = await newPage(browser, PHONE);
    await page.goto(`${web.url}/verify?office=${office}&date=${drawDate}`);
    await page.locator('#beacon').getByText('menunggu ronde suar 657413').waitFor();
    await shotBoth(page, 'verify-beacon-waiting');

    clock.ms = Date.parse('2023-09-15T11:00:10Z');
    await sys.deps.drawControl.runNow(office, drawDate, 10_000);
    await expect
      .poll(async () => (await call(sys, 'GET', `/api/draws/${office}/${drawDate}`)).body.status, {
        timeout: 20_000,
      })
      .toBe('drawn');
    await page.reload();
    await page.locator('#verdict').getByText('COCOK').waitFor();
    await page
      .locator('#beacon')
      .getByText('ronde 657.413 suar drand (League of Entropy “quicknet”)')
      .waitFor();
    expect(await page.locator('ul.checks:not(#log-checks) li.bad').count()).toBe(0);
    expect(await page.locator('ul.checks:not(#log-checks) li.warn').count()).toBe(0);
    await page.locator('li[data-check="beaconRound"]').getByText('tanda tangannya asli').waitFor();
    await page.locator('li[data-check="beaconTime"]').getByText('setelah pendaftaran ditutup').waitFor();
    await page.locator('#log').getByText('Log menegaskan undian ini.').waitFor();
    await shotBoth(page, 'verify-beacon-match-id');
    await page.locator('#lang-toggle').click();
    await page.locator('#verdict').getByText('MATCH').waitFor();
    await page.locator('#beacon').getByText('anchored to round 657,413 of the drand beacon').waitFor();
    await page
      .locator('li[data-check="beaconTime"]')
      .getByText('published only after entries closed')
      .waitFor();
    await shotBoth(page, 'verify-beacon-match-en');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
